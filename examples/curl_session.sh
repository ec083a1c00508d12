#!/usr/bin/env bash
# One QuickBooks session against `fakeqb serve`, from the shell: curl seeds the company through the control plane,
# calls the request processor's methods (OpenConnection2, BeginSession, ProcessRequest, ...), and reads the status.
#
#   fakeqb serve                        # in another terminal: an empty company on http://127.0.0.1:8765
#   FAKEQB_CONTROL_TOKEN=... examples/curl_session.sh [URL]     # the control token fakeqb serve printed
set -euo pipefail

URL=${1:-http://127.0.0.1:8765}
AUTH="Authorization: Bearer ${FAKEQB_CONTROL_TOKEN:?set FAKEQB_CONTROL_TOKEN to the token fakeqb serve printed}"
RP="$URL/qbxmlrp2/curl-example"   # one request processor, named by the caller; made on its first call
JSON='Content-Type: application/json'

call() {  # call METHOD ARGS-AS-JSON: the JSON answer ({"result": ...}); exits on an error answer
    curl --silent --show-error --fail-with-body -X POST "$RP/$1" -H "$JSON" -d "{\"args\": $2}"
}

curl --silent --show-error --fail-with-body -X POST "$URL/control/seed" -H "$AUTH" -H "$JSON" \
     -d '{"seed": 7, "vendors": 3}'
echo

call OpenConnection2 '["", "curl example", 1]' >/dev/null
ticket=$(call BeginSession '["", 2]' | sed -E 's/^\{"result":"(.*)"\}$/\1/')

read -r -d '' QUERY <<'XML' || true
<?xml version="1.0"?><?qbxml version="13.0"?>
<QBXML><QBXMLMsgsRq onError="stopOnError"><VendorQueryRq><MaxReturned>3</MaxReturned></VendorQueryRq></QBXMLMsgsRq>
</QBXML>
XML
query=$(printf '%s' "$QUERY" | sed 's/"/\\"/g' | tr '\n' ' ')   # a JSON string: quotes escaped, one line
call ProcessRequest "[\"$ticket\", \"$query\"]" | grep -o '<Name>[^<]*</Name>' | sed -E 's/<\/?Name>//g'

call EndSession "[\"$ticket\"]" >/dev/null
call CloseConnection '[]' >/dev/null
curl --silent --show-error --fail-with-body -H "$AUTH" "$URL/control/status"   # "log_entries":1, the query
echo
