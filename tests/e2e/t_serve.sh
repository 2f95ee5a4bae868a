# unspin serve: the real server on a free loopback port (port 0: the server
# prints the one it got), every endpoint and error, CORS, the API key,
# concurrent requests, 503, timeouts and the SIGTERM drain.  Sourced by run.sh.
SV_MODEL=$(dirname "$0")/../../models/en_US.unspin
SV_DATA=$(dirname "$0")/../data
if [ ! -f "$SV_MODEL" ]; then
    skip "unspin serve: models/en_US.unspin not built (make model)"
elif ! command -v curl >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
    skip "unspin serve: needs curl and python3 (make deps)"
else
SV=$TMP/serve
mkdir -p "$SV"
# Waits are longer when the binary runs under valgrind (make valgrind).
SV_SLOW=1; SV_PAUSE=0.3
[ "${UNSPIN_UNDER_VALGRIND:-0}" = 1 ] && { SV_SLOW=5; SV_PAUSE=0.6; }
SV_PIDS=""
# Stops every server this file started (also on exit or interruption).
sv_stop_all() {
    for p in $SV_PIDS; do kill -TERM "$p" 2>/dev/null; done
    for p in $SV_PIDS; do wait "$p" 2>/dev/null; done
    SV_PIDS=""
}
trap 'sv_stop_all; rm -rf "$TMP"' EXIT
trap 'sv_stop_all; rm -rf "$TMP"; exit 130' INT TERM

# sv_start LOG ARGS...: starts a server; sets SV_PID and SV_URL ("" on failure).
sv_start() {
    sv_log=$1; shift
    : >"$sv_log"
    "$UNSPIN" serve --model "$SV_MODEL" --listen 127.0.0.1:0 "$@" 2>"$sv_log" &
    SV_PID=$!
    SV_PIDS="$SV_PIDS $SV_PID"
    SV_URL=""
    i=0
    while [ $i -lt 200 ]; do
        port=$(sed -n 's/^unspin serve: listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$sv_log")
        if [ -n "$port" ]; then SV_URL=http://127.0.0.1:$port; break; fi
        kill -0 "$SV_PID" 2>/dev/null || break
        sleep 0.05
        i=$((i + 1))
    done
    [ -n "$SV_URL" ] && curl -s -o /dev/null --retry 20 --retry-connrefused --retry-delay 0 \
        --max-time 10 "$SV_URL/v1/health"
}

# req NAME STATUS CURL_ARGS...: body in $SV/body, headers in $SV/headers.
req() {
    name=$1; want=$2; shift 2
    got=$(curl -s -o "$SV/body" -D "$SV/headers" -w '%{http_code}' --max-time 30 "$@" 2>"$SV/curl.err")
    if [ "$got" = "$want" ]; then ok; else
        bad "$name: HTTP $got, wanted $want ($(head -c 300 "$SV/body"))"; fi
}
post() { name=$1; want=$2; body=$3; shift 3
    printf '%s' "$body" >"$SV/req"
    req "$name" "$want" -X POST --data-binary @"$SV/req" "$@" "$A_URL/v1/check"
}
is_error() { has "$1 is a JSON error" "$SV/body" '^\{"error": ?"([^"\\]|\\.)+"\}$'; }

# A JSON string of a file's text.
jstr() { python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1], encoding="utf-8").read()))' "$1"; }

# --- server A: defaults, small body limit, short timeout (3 s) --------------------
sv_start "$SV/a.log" --threads 4 --max-body 4096 --timeout 3
A_PID=$SV_PID; A_URL=$SV_URL
if [ -z "$A_URL" ]; then
    bad "serve: server did not start: $(head -c 300 "$SV/a.log")"
else
    ok
    req "health" 200 "$A_URL/v1/health"
    has "health body" "$SV/body" '^\{"status": ?"ok", ?"version": ?"[0-9.]+"'
    has "health content type" "$SV/headers" '^Content-Type: application/json'
    has "health detect_cpu_s" "$SV/body" '"detect_cpu_s": ?[0-9.eE+-]+\}$'
    req "health HEAD" 200 -I "$A_URL/v1/health"
    req "model" 200 "$A_URL/v1/model"
    has "model metadata" "$SV/body" '"metadata": ?\{"format": ?"[0-9]+"'
    has "model counts" "$SV/body" '"counts": ?\{"file_bytes": ?[0-9]+, ?"words": ?[1-9]'
    has "model edges by kind" "$SV/body" '"edges_by_kind": ?\{"synset": ?[0-9]+'

    # The same document object as unspin check --format json, without "file".
    post "check text" 200 "{\"text\": $(jstr "$SV_DATA/sample.txt")}"
    cp "$SV/body" "$SV/check.json"
    "$UNSPIN" check --model "$SV_MODEL" --format json "$SV_DATA/sample.txt" >"$SV/cli.json" 2>/dev/null
    run "check equals the CLI's object" 0 python3 -c '
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2])); b.pop("file")
sys.exit(0 if a == b and a["verdict"] == "spun" and a["spans"] else 1)' "$SV/check.json" "$SV/cli.json"
    has "check utf-16 offsets" "$SV/check.json" '"start16": ?[0-9]+, ?"end16": ?[0-9]+'
    post "check threshold" 200 "{\"text\": \"The committee met on Tuesday.\", \"threshold\": 0}"
    has "threshold 0 is spun" "$SV/body" '"verdict": ?"spun"'
    post "check documents" 200 "{\"documents\": [{\"id\": \"a\", \"text\": $(jstr "$SV_DATA/sample.txt")}, {\"id\": 7, \"text\": \"The committee met on Tuesday.\"}, {\"text\": \"Hello there.\"}]}"
    run "documents ids and verdicts" 0 python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["documents"]
sys.exit(0 if [x["id"] for x in d] == ["a", 7, 2] and d[0]["verdict"] == "spun"
         and d[1]["verdict"] == "natural" and list(d[0])[:2] == ["id", "verdict"] else 1)' "$SV/body"
    # Each document object is the text answer with "id" put first.
    run "documents object equals the text answer" 0 python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["documents"][0]; d.pop("id")
sys.exit(0 if d == json.load(open(sys.argv[2])) else 1)' "$SV/body" "$SV/check.json"
    req "health after checks" 200 "$A_URL/v1/health"
    run "detection CPU time counted" 0 python3 -c '
import json, sys
h = json.load(open(sys.argv[1]))
sys.exit(0 if 0 < h["detect_cpu_s"] < 60 and h["requests"] >= 4 else 1)' "$SV/body"
    post "check no documents" 200 '{"documents": []}'
    has "no documents answer" "$SV/body" '^\{"documents": ?\[\]\}$'
    post "check empty text" 200 '{"text": ""}'
    has "empty text natural" "$SV/body" '"words": ?0'

    # Bad input: 400 with a JSON error.
    post "malformed JSON" 400 '{"text": "abc"'
    is_error "malformed JSON"; has "malformed JSON message" "$SV/body" 'malformed JSON'
    post "empty body" 400 ''
    is_error "empty body"
    post "not an object" 400 '["text"]'
    is_error "not an object"
    post "text not a string" 400 '{"text": 5}'
    has "text type message" "$SV/body" 'text.*must be a string'
    post "neither text nor documents" 400 '{"threshold": 0.5}'
    is_error "neither"
    post "both text and documents" 400 '{"text": "a", "documents": []}'
    is_error "both"
    post "documents not an array" 400 '{"documents": "a"}'
    is_error "documents type"
    post "document without text" 400 '{"documents": [{"id": "x"}]}'
    has "document index in message" "$SV/body" 'documents\[0\]'
    post "document id bad type" 400 '{"documents": [{"id": [1], "text": "a"}]}'
    is_error "document id type"
    post "threshold out of range" 400 '{"text": "a", "threshold": 2}'
    has "threshold message" "$SV/body" 'threshold'
    post "threshold wrong type" 400 '{"text": "a", "threshold": "high"}'
    is_error "threshold type"
    printf '{"text": "caf\303 au lait"}' >"$SV/bad-utf8"
    req "invalid UTF-8" 400 -X POST --data-binary @"$SV/bad-utf8" "$A_URL/v1/check"
    has "invalid UTF-8 message" "$SV/body" 'invalid UTF-8 at byte 13 of the request body'
    post "lone surrogate escape" 400 '{"text": "\ud800"}'
    is_error "lone surrogate"

    # 413: declared length over the limit (answered before the body), and a
    # chunked body that grows past it while streaming.
    python3 -c 'import json; print(json.dumps({"text": "word " * 2000}))' >"$SV/big"
    req "body over --max-body" 413 -X POST --data-binary @"$SV/big" "$A_URL/v1/check"
    is_error "413"
    req "chunked body over --max-body" 413 -X POST -H 'Transfer-Encoding: chunked' \
        --data-binary @"$SV/big" "$A_URL/v1/check"
    has "413 message" "$SV/body" 'larger than 4096 bytes'

    # 404 and 405 (with Allow).
    req "unknown path" 404 "$A_URL/v2/check"
    is_error "404"
    req "unknown path POST" 404 -X POST -d '{"text": "a"}' "$A_URL/nope"
    req "GET /v1/check" 405 "$A_URL/v1/check"
    has "405 Allow check" "$SV/headers" '^Allow: POST, OPTIONS'
    is_error "405"
    req "POST /v1/health" 405 -X POST -d '{}' "$A_URL/v1/health"
    has "405 Allow health" "$SV/headers" '^Allow: GET, HEAD, OPTIONS'
    req "DELETE /v1/model" 405 -X DELETE "$A_URL/v1/model"

    # CORS: extension origins by default; preflight answered; others refused.
    req "preflight chrome" 204 -X OPTIONS -H 'Origin: chrome-extension://abcdefgh' \
        -H 'Access-Control-Request-Method: POST' \
        -H 'Access-Control-Request-Headers: content-type' "$A_URL/v1/check"
    has "preflight allow origin" "$SV/headers" '^Access-Control-Allow-Origin: chrome-extension://abcdefgh'
    has "preflight allow methods" "$SV/headers" '^Access-Control-Allow-Methods: POST, OPTIONS'
    has "preflight allow headers" "$SV/headers" '^Access-Control-Allow-Headers: .*Authorization'
    post "CORS moz-extension" 200 '{"text": "The final yr."}' -H 'Origin: moz-extension://1234-5678'
    has "CORS header on answer" "$SV/headers" '^Access-Control-Allow-Origin: moz-extension://1234-5678'
    has "CORS Vary" "$SV/headers" '^Vary: Origin'
    post "foreign origin" 403 '{"text": "a"}' -H 'Origin: https://example.com'
    is_error "403"
    req "foreign preflight" 403 -X OPTIONS -H 'Origin: https://example.com' \
        -H 'Access-Control-Request-Method: POST' "$A_URL/v1/check"
    hasnt "no CORS for foreign origin" "$SV/headers" '^Access-Control-Allow-Origin'
    post "no Origin (not a browser)" 200 '{"text": "a"}'
    hasnt "no CORS header without Origin" "$SV/headers" '^Access-Control-Allow-Origin'

    # 20 concurrent requests, each the same answer as one alone.
    i=0; par_pids=""
    while [ $i -lt 20 ]; do
        curl -s -o "$SV/par.$i" -w '%{http_code}' --max-time 30 -X POST \
            --data-binary "{\"text\": $(jstr "$SV_DATA/sample.txt")}" "$A_URL/v1/check" >"$SV/par.$i.code" &
        par_pids="$par_pids $!"
        i=$((i + 1))
    done
    for p in $par_pids; do wait "$p"; done
    wait_ok=1
    i=0
    while [ $i -lt 20 ]; do
        [ "$(cat "$SV/par.$i.code")" = 200 ] && cmp -s "$SV/par.$i" "$SV/check.json" || wait_ok=0
        i=$((i + 1))
    done
    if [ $wait_ok = 1 ]; then ok; else bad "20 concurrent requests: a status or body differs"; fi

    # A slow client (half a request line) is cut off after --timeout 3.
    run "slow client timed out" 0 python3 -c '
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"GET /v1/hea")
t = time.time()
data = s.recv(100)
sys.exit(0 if data == b"" and 2 <= time.time() - t < 10 else 1)' "${A_URL##*:}"

    # Access log: one line per request.
    has "access log line" "$SV/a.log" '^[0-9T:-]+Z 127\.0\.0\.1 POST /v1/check 200 [0-9]+ [0-9.]+$'
    has "access log 404" "$SV/a.log" ' GET /v2/check 404 [0-9]+ [0-9.]+$'
    has "access log 413" "$SV/a.log" ' POST /v1/check 413 [0-9]+ [0-9.]+$'

    # SIGTERM: the listening socket closes at once, the request in flight
    # (its body still arriving) is answered, then the server exits 0.
    : >"$SV/flag"; rm -f "$SV/flag"
    python3 -c '
import json, os, socket, sys, time
body = json.dumps({"text": open(sys.argv[3]).read()}).encode()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
s.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          b"Content-Length: %d\r\n\r\n" % len(body) + body[:20])
slow = float(sys.argv[4])
time.sleep(0.3 if slow == 1 else 0.6)
open(sys.argv[2], "w").close()
time.sleep(1.0 if slow == 1 else 1.6)  # together below the --timeout 3 of the server
s.sendall(body[20:])
resp = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    resp += d
    if b"\r\n\r\n" in resp:
        head, _, rest = resp.partition(b"\r\n\r\n")
        n = [int(l.split(b":")[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
        if n and len(rest) >= n[0]:
            break
print(resp.split(b"\r\n")[0].decode())' "${A_URL##*:}" "$SV/flag" "$SV_DATA/sample.txt" "$SV_SLOW" >"$SV/drain.out" 2>&1 &
    DRAIN_PID=$!
    j=0; while [ ! -f "$SV/flag" ] && [ $j -lt 200 ]; do sleep 0.05; j=$((j + 1)); done
    kill -TERM "$A_PID"
    sleep "$SV_PAUSE"
    curl -s -o /dev/null --max-time 5 "$A_URL/v1/health"
    rc=$?
    if [ $rc = 7 ]; then ok; else bad "SIGTERM: new connection not refused (curl exit $rc)"; fi
    wait "$DRAIN_PID"
    has "in-flight request answered" "$SV/drain.out" '^HTTP/1.1 200'
    wait "$A_PID"
    rc=$?
    if [ $rc = 0 ]; then ok; else bad "SIGTERM: server exit $rc, wanted 0"; fi
    SV_PIDS=$(echo "$SV_PIDS" | sed "s/ $A_PID\b//")
    has "drain logged" "$SV/a.log" 'SIGTERM: draining 1 request'
    has "stopped logged" "$SV/a.log" 'unspin serve: stopped$'
fi

# --- server B: API key, two connections at most ------------------------------
printf '  s3cret-KEY_1  \nignored\n' >"$SV/key"
sv_start "$SV/b.log" --threads 2 --max-connections 2 --api-key-file "$SV/key" \
    --allow-origin 'https://reader.example,chrome-extension://*'
B_URL=$SV_URL
if [ -z "$B_URL" ]; then
    bad "serve: server B did not start: $(head -c 300 "$SV/b.log")"
else
    req "no key" 401 "$B_URL/v1/health"
    has "401 WWW-Authenticate" "$SV/headers" '^WWW-Authenticate: Bearer'
    is_error "401"
    req "wrong key" 401 -H 'Authorization: Bearer s3cret-KEY_2' "$B_URL/v1/health"
    req "key prefix" 401 -H 'Authorization: Bearer s3cret-KEY_' "$B_URL/v1/health"
    req "not Bearer" 401 -H 'Authorization: Basic s3cret-KEY_1' "$B_URL/v1/health"
    req "right key" 200 -H 'Authorization: Bearer s3cret-KEY_1' "$B_URL/v1/health"
    req "right key check" 200 -X POST -H 'Authorization: Bearer s3cret-KEY_1' \
        -d '{"text": "The final yr."}' "$B_URL/v1/check"
    req "no key check" 401 -X POST -d '{"text": "The final yr."}' "$B_URL/v1/check"
    req "preflight needs no key" 204 -X OPTIONS -H 'Origin: https://reader.example' \
        -H 'Access-Control-Request-Method: POST' "$B_URL/v1/check"
    has "configured origin" "$SV/headers" '^Access-Control-Allow-Origin: https://reader.example'
    req "configured origins replace defaults" 403 -X OPTIONS -H 'Origin: moz-extension://x' \
        -H 'Access-Control-Request-Method: POST' "$B_URL/v1/check"
    # Two idle connections held open; the third gets a 503.
    run "503 over --max-connections" 0 python3 -c '
import socket, sys, time
port = int(sys.argv[1])
idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
time.sleep(0.5)
s = socket.create_connection(("127.0.0.1", port), timeout=10)
s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer s3cret-KEY_1\r\n\r\n")
line = s.recv(4096).split(b"\r\n")[0]
print(line.decode())
sys.exit(0 if line.startswith(b"HTTP/1.1 503") else 1)' "${B_URL##*:}"
    req "after the idle ones close" 200 -H 'Authorization: Bearer s3cret-KEY_1' "$B_URL/v1/health"
fi
sv_stop_all

# --- command-line errors -------------------------------------------------------
run "serve bad threads" 2 "$UNSPIN" serve --model "$SV_MODEL" --threads 0
one_line "serve bad threads one line" "$TMP/err"
run "serve bad listen" 2 "$UNSPIN" serve --model "$SV_MODEL" --listen nowhere:port
run "serve missing key file" 2 "$UNSPIN" serve --model "$SV_MODEL" --api-key-file "$SV/none"
: >"$SV/empty-key"
run "serve empty key file" 2 "$UNSPIN" serve --model "$SV_MODEL" --api-key-file "$SV/empty-key"
run "serve bad model" 2 "$UNSPIN" serve --model "$SV/none.unspin"
run "serve help" 0 "$UNSPIN" serve --help
has "serve help text" "$TMP/out" '--api-key-file'
# A port in use is an error, not a second server.
python3 -c '
import socket, subprocess, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
p = subprocess.run([sys.argv[1], "serve", "--model", sys.argv[2], "--listen",
                    "127.0.0.1:%d" % s.getsockname()[1]], capture_output=True, timeout=20)
sys.exit(0 if p.returncode == 2 else 1)' "$UNSPIN" "$SV_MODEL" >/dev/null 2>&1
if [ $? = 0 ]; then ok; else bad "serve on a port in use: not exit 2"; fi
trap 'rm -rf "$TMP"' EXIT
trap - INT TERM
fi
