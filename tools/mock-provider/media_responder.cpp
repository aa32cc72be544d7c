#include "tools/mock-provider/media_responder.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace switchyard::mock {
namespace json = boost::json;

namespace {

std::string_view str(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

std::string base64(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < data.size(); i += 3) {
    uint32_t n = uint32_t(uint8_t(data[i])) << 16;
    if (i + 1 < data.size()) n |= uint32_t(uint8_t(data[i + 1])) << 8;
    if (i + 2 < data.size()) n |= uint8_t(data[i + 2]);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += i + 1 < data.size() ? kAlphabet[n >> 6 & 63] : '=';
    out += i + 2 < data.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

std::vector<std::string> words(std::string_view text) {
  std::vector<std::string> out;
  std::string w;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      w += char(std::tolower(static_cast<unsigned char>(c)));
    } else if (!w.empty()) {
      out.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

// The text of a rerank document: a string, or an object's "text".
std::string documentText(const json::value& d) {
  if (d.is_string()) return std::string(d.get_string());
  if (d.is_object()) return std::string(str(d.get_object(), "text"));
  return {};
}

std::string modelOf(const json::object& body, const AnswerContext& ctx) {
  std::string model(str(body, "model"));
  return model.empty() ? ctx.modelOverride : model;
}

}  // namespace

Reply answerModeration(const json::object& body, const AnswerContext& ctx) {
  std::vector<std::string> inputs;
  const json::value* input = body.if_contains("input");
  if (!input || input->is_null()) return missingParamReply("input");
  if (input->is_string()) {
    inputs.emplace_back(input->get_string());
  } else if (input->is_array()) {
    for (const auto& v : input->get_array()) {
      inputs.push_back(v.is_string() ? std::string(v.get_string()) : json::serialize(v));
    }
  }
  json::array results;
  for (const auto& text : inputs) {
    // Flagged when it says "kill" or "hate": enough for a test to see both answers.
    bool violence = false, hate = false;
    for (const auto& w : words(text)) {
      violence = violence || w == "kill";
      hate = hate || w == "hate";
    }
    results.push_back(json::object{
        {"flagged", violence || hate},
        {"categories", json::object{{"violence", violence}, {"hate", hate}}},
        {"category_scores",
         json::object{{"violence", violence ? 0.97 : 0.0001}, {"hate", hate ? 0.95 : 0.0001}}}});
  }
  json::object out{
      {"id", "modr-" + ctx.id},
      {"model", modelOf(body, ctx).empty() ? "omni-moderation-latest" : modelOf(body, ctx)},
      {"results", std::move(results)}};
  return Reply{200, json::serialize(out), 0};
}

Reply answerRerank(const json::object& body, bool cohereShape, const AnswerContext& ctx) {
  if (str(body, "query").empty()) return missingParamReply("query");
  const auto* docs = body.if_contains("documents");
  if (!docs || !docs->is_array()) return missingParamReply("documents");
  // Relevance: the share of the query's words the document has.
  const auto query = words(str(body, "query"));
  struct Scored {
    size_t index;
    double score;
    std::string text;
  };
  std::vector<Scored> scored;
  size_t tokens = query.size();
  for (size_t i = 0; i < docs->get_array().size(); ++i) {
    std::string text = documentText(docs->get_array()[i]);
    const auto have = words(text);
    tokens += have.size();
    size_t hits = 0;
    for (const auto& q : query) hits += std::count(have.begin(), have.end(), q) > 0;
    const double score =
        query.empty() ? 0 : std::round(1e4 * double(hits) / double(query.size())) / 1e4;
    scored.push_back({i, score, std::move(text)});
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const Scored& a, const Scored& b) { return a.score > b.score; });
  size_t topN = scored.size();
  if (const auto* n = body.if_contains("top_n"); n && n->is_int64() && n->get_int64() > 0) {
    topN = std::min(topN, size_t(n->get_int64()));
  }
  json::array results;
  for (size_t i = 0; i < topN; ++i) {
    json::object r{{"index", scored[i].index}, {"relevance_score", scored[i].score}};
    if (!cohereShape) r["document"] = json::object{{"text", scored[i].text}};
    results.push_back(std::move(r));
  }
  json::object out;
  if (cohereShape) {
    out = {{"id", ctx.id},
           {"results", std::move(results)},
           {"meta", json::object{{"api_version", json::object{{"version", "2"}}},
                                 {"billed_units", json::object{{"search_units", 1}}}}}};
  } else {
    out = {{"model", modelOf(body, ctx)},
           {"usage", json::object{{"total_tokens", tokens}}},
           {"results", std::move(results)}};
  }
  return Reply{200, json::serialize(out), 0};
}

Reply answerImages(const json::object& body, ImageCall call, const AnswerContext& ctx) {
  if (call != ImageCall::kVariation && str(body, "prompt").empty()) {
    return missingParamReply("prompt");
  }
  if (call != ImageCall::kGenerate && !body.contains("image") && !body.contains("image[]")) {
    return missingParamReply("image");
  }
  int64_t n = 1;
  if (const auto* v = body.if_contains("n")) {
    if (v->is_int64()) n = v->get_int64();
    if (v->is_string()) n = std::atoll(v->get_string().c_str());  // a form field
  }
  if (n < 1 || n > 10) {
    return errorReply(400, "n must be between 1 and 10.", "invalid_request_error", "n",
                      "invalid_value");
  }
  const std::string model = modelOf(body, ctx);
  const bool b64 = str(body, "response_format") == "b64_json" || model.starts_with("gpt-image");
  json::array data;
  for (int64_t i = 0; i < n; ++i) {
    // A stand-in for the picture: a PNG signature and what it was made from.
    const std::string image = "\x89PNG\r\n\x1a\nmock image " + std::to_string(i) + " of " +
                              std::string(str(body, "prompt"));
    json::object item;
    if (b64) {
      item["b64_json"] = base64(image);
    } else {
      item["url"] =
          "https://mock-provider.invalid/images/" + ctx.id + "-" + std::to_string(i) + ".png";
    }
    if (call == ImageCall::kGenerate && model == "dall-e-3") {
      item["revised_prompt"] = str(body, "prompt");
    }
    data.push_back(std::move(item));
  }
  json::object out{{"created", ctx.created}, {"data", std::move(data)}};
  if (model.starts_with("gpt-image")) {
    const int64_t input = approxTokens(str(body, "prompt").size());
    out["usage"] = json::object{
        {"input_tokens", input}, {"output_tokens", 272 * n}, {"total_tokens", input + 272 * n}};
  }
  return Reply{200, json::serialize(out), 0};
}

size_t speechBytes(std::string_view input) { return 4 * input.size(); }

Answer answerSpeech(const json::object& body) {
  Answer a;
  const std::string_view input = str(body, "input");
  if (input.empty()) {
    a.reply = missingParamReply("input");
    return a;
  }
  if (!body.contains("voice")) {
    a.reply = missingParamReply("voice");
    return a;
  }
  const std::string_view format = str(body, "response_format");
  a.stream = true;
  a.plan.contentType = format == "wav"    ? "audio/wav"
                       : format == "opus" ? "audio/opus"
                       : format == "flac" ? "audio/flac"
                       : format == "pcm"  ? "audio/pcm"
                       : format == "aac"  ? "audio/aac"
                                          : "audio/mpeg";
  // Four bytes a character, in chunks of 1 KiB, as a TTS host streams its audio.
  std::string audio;
  for (char c : input) audio.append({'\xff', '\xf3', c, '\x00'});
  for (size_t at = 0; at < audio.size(); at += 1024)
    a.plan.content.push_back(audio.substr(at, 1024));
  return a;
}

Answer answerTranscription(const json::object& form, bool translate) {
  Answer a;
  const auto* file = form.if_contains("file");
  if (!file || !file->is_object()) {
    a.reply = missingParamReply("file");
    return a;
  }
  const auto& f = file->get_object();
  const std::string filename(str(f, "filename"));
  const int64_t bytes = f.at("bytes").to_number<int64_t>();
  double seconds = f.at("wav_seconds").to_number<double>();
  if (seconds <= 0) seconds = double(bytes) / 16000.0;
  const std::string text = std::string(translate ? "Mock translation" : "Mock transcript") +
                           " of " + filename + " (" + std::to_string(bytes) + " bytes)";
  const std::string_view format = str(form, "response_format");
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", seconds);
  if (format == "text" || format == "srt" || format == "vtt") {
    std::string out = format == "text"  ? text + "\n"
                      : format == "srt" ? "1\n00:00:00,000 --> 00:00:01,000\n" + text + "\n"
                                        : "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n" + text + "\n";
    a.stream = true;
    a.plan.contentType = "text/plain; charset=utf-8";
    a.plan.content.push_back(std::move(out));
    return a;
  }
  json::object out{{"text", text}};
  if (format == "verbose_json") {
    out = {{"task", translate ? "translate" : "transcribe"},
           {"language",
            translate
                ? "english"
                : std::string(str(form, "language").empty() ? "english" : str(form, "language"))},
           {"duration", std::stod(duration)},
           {"text", text},
           {"segments", json::array{}}};
  } else {
    out["usage"] = json::object{{"type", "duration"}, {"seconds", std::ceil(seconds)}};
  }
  a.reply = Reply{200, json::serialize(out), 0};
  return a;
}

}  // namespace switchyard::mock
