#include "api/openai/form_request.hpp"

#include <charconv>
#include <string>

#include "api/openai/audio_length.hpp"
#include "api/openai/multipart_form.hpp"

namespace switchyard {

namespace {

Error missing(std::string_view field) {
  return Error::make(ErrorClass::kBadRequest,
                     "Missing required parameter: '" + std::string(field) + "'.",
                     std::string(field), "missing_required_parameter");
}

Error invalid(std::string_view field, std::string message) {
  return Error::make(ErrorClass::kBadRequest, std::move(message), std::string(field),
                     "invalid_value");
}

// The parts an endpoint cannot do without, besides the model: the upload and, for edits, the
// prompt. An image edit may name its images "image" or "image[]" (several images).
struct Required {
  std::string_view file;  // a part that must carry a file
  std::string_view text;  // a part that must be present (may be a plain field)
};

Required requiredOf(Endpoint e) {
  switch (e) {
    case Endpoint::kAudioTranscriptions:
    case Endpoint::kAudioTranslations:
      return {"file", {}};
    case Endpoint::kImageEdits:
      return {"image", "prompt"};
    case Endpoint::kImageVariations:
      return {"image", {}};
    default:
      return {};
  }
}

bool namesFile(std::string_view partName, std::string_view wanted) {
  return partName == wanted ||
         (wanted == "image" && (partName == "image[]" || partName.starts_with("image[")));
}

}  // namespace

Result<ApiRequest> parseOpenAiFormRequest(Endpoint endpoint, std::string_view contentType,
                                          std::string_view body, boost::json::storage_ptr storage) {
  auto boundary = formBoundary(contentType);
  if (!boundary) return boundary.error();
  auto parts = parseForm(body, *boundary);
  if (!parts) return parts.error();

  const Required required = requiredOf(endpoint);
  const FormPart* model = nullptr;
  const FormPart* file = nullptr;
  bool text = required.text.empty();
  int64_t images = 1;
  for (const FormPart& p : *parts) {
    if (p.name == "model") {
      // Upstreams differ on which of two counts: the gateway must not route by one and send
      // the other.
      if (model) return invalid("model", "'model' is given more than once.");
      model = &p;
    } else if (namesFile(p.name, required.file)) {
      if (!p.hasFilename) {
        return invalid(p.name, "'" + std::string(p.name) + "' must be a file upload.");
      }
      if (!file) file = &p;
    } else if (p.name == required.text) {
      text = true;
    } else if (p.name == "n") {
      const auto* end = p.value.data() + p.value.size();
      auto [ptr, ec] = std::from_chars(p.value.data(), end, images);
      if (ec != std::errc() || ptr != end || images < 1) {
        return invalid("n", "'n' must be an integer of at least 1.");
      }
    }
  }
  if (!model) return missing("model");
  if (model->value.empty()) return invalid("model", "'model' must not be empty.");
  if (model->hasFilename) return invalid("model", "'model' must be a plain field, not a file.");
  if (!required.file.empty() && !file) return missing(required.file);
  if (!text) return missing(required.text);

  ApiRequest req(std::move(storage));
  req.endpoint = endpoint;
  req.model = std::string(model->value);
  req.rawBody = body;
  req.modelSpan = JsonSpan{model->valueOffset, model->valueOffset + model->value.size()};
  req.formContentType = contentType;
  if (endpoint == Endpoint::kImageEdits || endpoint == Endpoint::kImageVariations) {
    req.units.images = images;
  } else if (auto seconds = wavSeconds(file->value)) {
    req.units.audioSeconds = *seconds;
  }
  return req;
}

}  // namespace switchyard
