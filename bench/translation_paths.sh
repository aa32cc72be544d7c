# Sourced by the translation-path benchmarks (translation_ab.sh, instructions_paths.sh): the
# paths of bench/run.sh's "Translation paths" table, each a route, a request body and a name.
# One gateway serves two model names on one mock provider: `pass` (openai/, forwarded as is) and
# `xlate` (anthropic/, translated to /v1/messages and back). Every body carries the same
# conversation with max_tokens above the mock's --completion-tokens, so every answer has as many
# tokens as the mock is told.

# xl_config FILE MOCK_PORT: writes the gateway's config for a mock listening on MOCK_PORT.
xl_config() {
  cat >"$1" <<YAML
model_list:
  - model_name: pass
    litellm_params: {model: openai/mock-model, api_base: "http://127.0.0.1:$2/v1", api_key: sk-bench}
  - model_name: xlate
    litellm_params: {model: anthropic/claude-3-5-haiku-latest, api_base: "http://127.0.0.1:$2", api_key: sk-bench}
YAML
}

XL_OPENAI='"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":64'
XL_ANTHROPIC='"system":"You are terse.","messages":[{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":64'
# The header every request carries (the OpenAI routes ignore it).
XL_HEADER='anthropic-version: 2023-06-01'
# The six paths of the table; anthropic-pass and anthropic-pass-stream (Anthropic client x
# Anthropic upstream) are known too, run only when named.
XL_DEFAULT_PATHS="pass xlate anthropic-in pass-stream xlate-stream anthropic-in-stream"
declare -A XL_ROUTE XL_BODY XL_NAME
XL_ROUTE=([pass]=/v1/chat/completions [xlate]=/v1/chat/completions [anthropic-in]=/v1/messages
  [pass-stream]=/v1/chat/completions [xlate-stream]=/v1/chat/completions
  [anthropic-in-stream]=/v1/messages [anthropic-pass]=/v1/messages
  [anthropic-pass-stream]=/v1/messages)
XL_BODY=([pass]="{\"model\":\"pass\",$XL_OPENAI}" [xlate]="{\"model\":\"xlate\",$XL_OPENAI}"
  [anthropic-in]="{\"model\":\"pass\",$XL_ANTHROPIC}"
  [pass-stream]="{\"model\":\"pass\",\"stream\":true,$XL_OPENAI}"
  [xlate-stream]="{\"model\":\"xlate\",\"stream\":true,$XL_OPENAI}"
  [anthropic-in-stream]="{\"model\":\"pass\",\"stream\":true,$XL_ANTHROPIC}"
  [anthropic-pass]="{\"model\":\"xlate\",$XL_ANTHROPIC}"
  [anthropic-pass-stream]="{\"model\":\"xlate\",\"stream\":true,$XL_ANTHROPIC}")
XL_NAME=([pass]="OpenAI → OpenAI (pass-through)" [xlate]="OpenAI → Anthropic"
  [anthropic-in]="Anthropic → OpenAI" [pass-stream]="stream, OpenAI → OpenAI (pass-through)"
  [xlate-stream]="stream, OpenAI → Anthropic" [anthropic-in-stream]="stream, Anthropic → OpenAI"
  [anthropic-pass]="Anthropic → Anthropic" [anthropic-pass-stream]="stream, Anthropic → Anthropic")
