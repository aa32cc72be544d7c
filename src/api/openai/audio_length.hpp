#pragma once
// How long an uploaded audio file plays, where its header says so without decoding (WAV): what a
// transcription costs at a per-second price when the upstream's answer does not say.

#include <optional>
#include <string_view>

namespace switchyard {

// Seconds of a RIFF/WAVE file's data chunk at its fmt chunk's byte rate; nullopt for another
// format or a header that does not add up.
std::optional<double> wavSeconds(std::string_view file);

}  // namespace switchyard
