-- A plain GET of the URL given on the command line.
dofile(os.getenv("TOKENFAB_LOAD_DIR") .. "/report.lua")
done = report
