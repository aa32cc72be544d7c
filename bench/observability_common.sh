# Sourced by the observability benchmarks: writes the config of a static nginx upstream that
# answers chat requests with a short fixed completion and stands in for an OTLP collector (200 on
# /v1/traces). Usage: write_static_upstream WORKDIR PORT   (then: nginx -p WORKDIR -c WORKDIR/up.conf)
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
