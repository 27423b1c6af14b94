-- POST /api/v1/evaluate with the deployment in $TOKENFAB_LOAD_BODY.
dofile(os.getenv("TOKENFAB_LOAD_DIR") .. "/report.lua")
local file = assert(io.open(os.getenv("TOKENFAB_LOAD_BODY"), "r"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = file:read("*a")
file:close()
done = report
