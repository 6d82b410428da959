#!/usr/bin/env bash
# The walkthrough of docs/api-walkthrough.md, section 6: a hotline bot triages and routes a report,
# the NGO bot accepts the hand-over and opens a case; two verifying receivers print the webhooks.
# Needs the demo on port 8120 (SAFEGUARD_WEBHOOKS_ALLOW_LOOPBACK=1 PORT=8120 make demo) and the
# eight NORTHWIND_*/HARBOUR_* variables of section 6 exported. Run from the repository root.
set -eu
BASE=http://127.0.0.1:8120/api/v1
J="Content-Type: application/json"
run() { echo "\$ $*" | sed 's/sgt_[A-Za-z0-9_-]*/sgt_…/g'; eval "$@" | cut -c1-600; echo; }
HN="Authorization: Token $NORTHWIND_TOKEN"; HH="Authorization: Token $HARBOUR_TOKEN"
subscribe() {  # token, port, events
  curl -s -X POST "$BASE/webhooks" -H "Authorization: Token $1" -H "$J" -d "{\"url\": \"http://127.0.0.1:$2/hook\", \"description\": \"walkthrough receiver\", \"event_types\": $3}"
}
N=$(subscribe "$NORTHWIND_ADMIN_TOKEN" 9100 '["report.triaged", "report.routed"]'); echo "Northwind's endpoint: $N" | cut -c1-400
H=$(subscribe "$HARBOUR_ADMIN_TOKEN" 9101 '["case.opened", "report.routed"]'); echo "Harbour Light's endpoint: $H" | cut -c1-400
secret() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])["secret"])' "$1"; }
.venv/bin/python -m safeguard.webhooks.receiver --port 9100 --secret "$(secret "$N")" > /tmp/recv-n.log 2>&1 &
.venv/bin/python -m safeguard.webhooks.receiver --port 9101 --secret "$(secret "$H")" > /tmp/recv-h.log 2>&1 &
sleep 1
echo; echo "## Northwind's bot triages"
REPORT=$(curl -s "$BASE/reports?status=new&page_size=1" -H "$HN" | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["id"])')
run curl -s "'$BASE/reports/$REPORT'" -H "'$HN'"
run curl -s -X POST "$BASE/reports/$REPORT/assign" -H "'$HN'" -H "'$J'" -H "'Idempotency-Key: walk-assign-$REPORT'" -d "'{\"assignee\": $NORTHWIND_BOT}'"
run curl -s -X POST "$BASE/reports/$REPORT/notes" -H "'$HN'" -H "'$J'" -H "'Idempotency-Key: walk-note-$REPORT'" -d "'{\"body\": \"Child of about 14 seen at the bus station; Harbour Light runs the shelter there.\"}'"
run curl -s -X POST "$BASE/reports/$REPORT/route" -H "'$HN'" -H "'$J'" -H "'Idempotency-Key: walk-route-$REPORT'" -d "'{\"organisation\": $HARBOUR_ORG}'"
echo "## Harbour Light's bot accepts the hand-over and opens a case"
HANDOVER=$(curl -s "$BASE/handovers?status=offered" -H "$HH" | python3 -c "import json,sys; print([h['id'] for h in json.load(sys.stdin) if h['report_id']==$REPORT][0])")
run curl -s "'$BASE/handovers?status=offered'" -H "'$HH'"
run curl -s -X POST "$BASE/handovers/$HANDOVER/accept" -H "'$HH'" -H "'Idempotency-Key: walk-accept-$HANDOVER'"
run curl -s -X POST "$BASE/cases" -H "'$HH'" -H "'$J'" -H "'Idempotency-Key: walk-case-$REPORT'" -d "'{\"person\": {\"first_name\": \"Dara\", \"gender\": \"Feminine\", \"estimated_age\": 14}, \"risk_level\": \"high\", \"report\": $REPORT}'"
sleep 8
echo "## What the receivers verified"
cat /tmp/recv-n.log /tmp/recv-h.log
