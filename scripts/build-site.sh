#!/usr/bin/env bash
# Builds the browser half into target/site: the app compiled to WebAssembly
# (size-first profile), its JavaScript glue, the stylesheet and public files,
# each with a gzip twin the server sends to browsers that accept it.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${TOKENFAB_WASM_PROFILE:-wasm-release}
site=target/site

cargo build -p app --lib --target wasm32-unknown-unknown \
  --no-default-features --features hydrate \
  --profile "$profile" --target-dir target/front

rm -rf "$site"
mkdir -p "$site/pkg"
cp -r public/. "$site/"
wasm-bindgen --target web --no-typescript --out-dir "$site/pkg" --out-name tokenfab \
  "target/front/wasm32-unknown-unknown/$profile/app.wasm"
# Leptos asks for <name>.wasm when the output name is set at compile time.
mv "$site/pkg/tokenfab_bg.wasm" "$site/pkg/tokenfab.wasm"
cp style/main.css "$site/pkg/tokenfab.css"
gzip -9 -k -f "$site/pkg/tokenfab.wasm" "$site/pkg/tokenfab.js" "$site/pkg/tokenfab.css"

raw=$(stat -c %s "$site/pkg/tokenfab.wasm")
gz=$(stat -c %s "$site/pkg/tokenfab.wasm.gz")
echo "site built in $site: tokenfab.wasm $((raw / 1024)) KiB raw, $((gz / 1024)) KiB gzip"
