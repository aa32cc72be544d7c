#include "providers/common/forwarded_request.hpp"

#include <boost/json.hpp>

#include "core/json_escape.hpp"
#include "providers/common/json_fields.hpp"

namespace switchyard::common {

namespace json = boost::json;

Result<std::string> forwardedBody(ApiRequest& req, std::string_view upstreamModel) {
  std::string out;
  const bool form = !req.formContentType.empty();
  if (form && upstreamModel.find_first_of("\r\n") != std::string_view::npos) {
    return Error::make(ErrorClass::kBadRequest,
                       "The deployment's model name holds a line break, which a form field "
                       "cannot carry.",
                       "model", "invalid_value");
  }
  if (!req.rawBody.empty()) {
    const JsonSpan model = req.modelSpan;
    out.reserve(req.rawBody.size() + upstreamModel.size() + 2);
    out.append(req.rawBody.substr(0, model.begin));
    if (form) {
      out.append(upstreamModel);
    } else {
      appendJsonString(out, upstreamModel);
    }
    out.append(req.rawBody.substr(model.end));
    return out;
  }
  json::object& body = req.editBody();
  body["model"] = upstreamModel;
  return json::serialize(body);
}

namespace {

double numberOf(const json::value* v) { return v && v->is_number() ? v->to_number<double>() : 0.0; }

// Token counts in the shapes these answers use: OpenAI's images and transcriptions
// (input_tokens / output_tokens), Jina's and Voyage's rerank (total_tokens).
void readTokens(const json::object& u, Usage& usage) {
  usage.promptTokens = intField(u, "input_tokens");
  usage.completionTokens = intField(u, "output_tokens");
  if (usage.promptTokens == 0) usage.promptTokens = intField(u, "prompt_tokens");
  usage.totalTokens = intField(u, "total_tokens");
  if (usage.totalTokens == 0) usage.totalTokens = usage.promptTokens + usage.completionTokens;
  if (usage.promptTokens == 0 && usage.completionTokens == 0)
    usage.promptTokens = usage.totalTokens;
}

}  // namespace

void readForwardedUsage(const ApiRequest& req, std::string_view body, Usage& usage) {
  usage = Usage{};
  usage.present = true;
  // Text answers (a transcript as text, srt or vtt) and audio parse as nothing.
  boost::system::error_code ec;
  const json::value parsed = body.starts_with('{') ? json::parse(body, ec) : json::value();
  const json::object* o = ec ? nullptr : parsed.if_object();
  const json::object* u = o ? objectField(*o, "usage") : nullptr;
  if (u) readTokens(*u, usage);
  switch (req.endpoint) {
    case Endpoint::kRerank: {
      const json::object* meta = o ? objectField(*o, "meta") : nullptr;
      const json::object* billed = meta ? objectField(*meta, "billed_units") : nullptr;
      const double units = billed ? numberOf(billed->if_contains("search_units")) : 0.0;
      // A host that does not bill in search units ran one query.
      usage.searchUnits = units > 0 ? units : 1.0;
      break;
    }
    case Endpoint::kImageGenerations:
    case Endpoint::kImageEdits:
    case Endpoint::kImageVariations: {
      const json::array* data = o ? arrayField(*o, "data") : nullptr;
      usage.images = data ? static_cast<int64_t>(data->size()) : req.units.images;
      break;
    }
    case Endpoint::kAudioSpeech:
      usage.characters = req.units.characters;
      break;
    case Endpoint::kAudioTranscriptions:
    case Endpoint::kAudioTranslations: {
      // verbose_json says the duration; newer models report {"type":"duration","seconds":n}.
      double seconds = o ? numberOf(o->if_contains("duration")) : 0.0;
      if (seconds <= 0 && u && stringField(*u, "type") == "duration") {
        seconds = numberOf(u->if_contains("seconds"));
      }
      usage.seconds = seconds > 0 ? seconds : req.units.audioSeconds;
      break;
    }
    default:
      break;
  }
}

}  // namespace switchyard::common
