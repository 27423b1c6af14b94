#!/usr/bin/env bash
# Builds the browser half into target/site: the app compiled to WebAssembly
# (size-first profile) and the search page's own module, loaded by that
# page alone, each with its JavaScript glue; the stylesheet and public
# files; each with a gzip twin the server sends to browsers that accept it.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${TOKENFAB_WASM_PROFILE:-wasm-release}
site=target/site

cargo build -p app -p search-page --lib --target wasm32-unknown-unknown \
  --no-default-features --features app/hydrate \
  --profile "$profile" --target-dir target/front

rm -rf "$site"
mkdir -p "$site/pkg"
cp -r public/. "$site/"
wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name tokenfab \
  "target/front/wasm32-unknown-unknown/$profile/app.wasm"
# Leptos asks for <name>.wasm when the output name is set at compile time.
mv "$site/pkg/tokenfab_bg.wasm" "$site/pkg/tokenfab.wasm"
wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name search \
  "target/front/wasm32-unknown-unknown/$profile/search_page.wasm"
mv "$site/pkg/search_bg.wasm" "$site/pkg/search.wasm"
cp style/main.css "$site/pkg/tokenfab.css"
gzip -9 -k -f "$site/pkg/tokenfab.wasm" "$site/pkg/tokenfab.js" "$site/pkg/tokenfab.css" \
  "$site/pkg/search.wasm" "$site/pkg/search.js"

raw=$(stat -c %s "$site/pkg/tokenfab.wasm")
gz=$(stat -c %s "$site/pkg/tokenfab.wasm.gz")
search_gz=$(stat -c %s "$site/pkg/search.wasm.gz")
echo "site built in $site: tokenfab.wasm $((raw / 1024)) KiB raw, $((gz / 1024)) KiB gzip; search.wasm $((search_gz / 1024)) KiB gzip"
