# shellcheck shell=bash
# Sourced by the observability benchmarks (observability.sh, observability_instructions.sh,
# observability_kernel.sh): the gateway config of each mode, and a static nginx upstream.

# write_mode_config FILE MODE PORT LOG: the config of one mode, into FILE. Modes: off (no
# metrics, log or tracing), log (metrics and an access log to LOG), all (log + every request
# traced, OTLP/HTTP JSON), proto (all, as protobuf), sampled (all, 10% of the traces), traces
# (all without the access log); a suffix such as "@base" is ignored. The upstream and the
# collector are both http://127.0.0.1:PORT.
write_mode_config() {
  local file=$1 mode=${2%@*} port=$3 log=$4 ratio=1 protocol=http/json
  local model="model_list:
  - model_name: bench-model
    litellm_params: {model: openai/bench-model, api_base: \"http://127.0.0.1:$port/v1\", api_key: sk-bench}"
  [[ $mode == sampled ]] && ratio=0.1
  [[ $mode == proto ]] && protocol=http/protobuf
  [[ $mode == traces ]] && log=off
  case $mode in
    off) printf '%s\nswitchyard_settings:\n  metrics: false\n  access_log: off\n' "$model" ;;
    log) printf '%s\nswitchyard_settings:\n  metrics: true\n  access_log: %s\n' "$model" "$log" ;;
    *)
      printf '%s\nswitchyard_settings:\n  metrics: true\n  access_log: %s\n  otel_endpoint: "http://127.0.0.1:%s/v1/traces"\n  otel_sample_ratio: %s\n  otel_protocol: %s\n' \
        "$model" "$log" "$port" "$ratio" "$protocol"
      ;;
  esac >"$file"
}

# A static nginx upstream that answers chat requests with a short fixed completion and stands in
# for an OTLP collector (200 on /v1/traces). Usage: write_static_upstream WORKDIR PORT   (then:
# nginx -p WORKDIR -c WORKDIR/up.conf)
write_static_upstream() {
  local work=$1 port=$2
  local answer='{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"bench-model","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":3,"total_tokens":12}}'
  mkdir -p "$work/tmp"
  cat >"$work/up.conf" <<CONF
daemon off; master_process off; worker_processes 1; events { worker_connections 4096; }
pid $work/up.pid; error_log $work/up.err warn;
http { client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp; access_log off; keepalive_requests 1000000;
  client_body_buffer_size 4m; client_max_body_size 64m;
  server { listen 127.0.0.1:$port;
    location /v1/traces { default_type application/json; return 200 '{}'; }
    location / { default_type application/json; return 200 '$answer'; } } }
CONF
}
