#!/usr/bin/env bash
# Reproduce the web app's vendored front-end assets from the npm registry.
#
#   leaflet 1.9.4          -> src/trucewatch/web/static/vendor/leaflet/     (map page)
#   swagger-ui-dist 5.35.0 -> src/trucewatch/web/static/vendor/swagger-ui/  (/docs, offline)
#
# Usage: bash scripts/vendor_leaflet.sh        (needs npm; nothing is fetched at run time)
# The versions are pinned here and in docs/web.md; change both together.
set -euo pipefail
LEAFLET_VERSION=1.9.4
SWAGGER_VERSION=5.35.0
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENDOR="$ROOT/src/trucewatch/web/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
npm pack --silent "leaflet@$LEAFLET_VERSION" "swagger-ui-dist@$SWAGGER_VERSION" >/dev/null
mkdir l s
tar xzf "leaflet-$LEAFLET_VERSION.tgz" -C l
tar xzf "swagger-ui-dist-$SWAGGER_VERSION.tgz" -C s
rm -rf "$VENDOR/leaflet" "$VENDOR/swagger-ui"
mkdir -p "$VENDOR/leaflet/images" "$VENDOR/swagger-ui"
cp l/package/dist/leaflet.js l/package/dist/leaflet.css l/package/LICENSE "$VENDOR/leaflet/"
cp l/package/dist/images/* "$VENDOR/leaflet/images/"
cp s/package/swagger-ui-bundle.js s/package/swagger-ui.css s/package/LICENSE s/package/NOTICE "$VENDOR/swagger-ui/"
cat > "$VENDOR/PROVENANCE.txt" <<TXT
Vendored by scripts/vendor_leaflet.sh from the npm registry (npm pack), unmodified:
  leaflet@$LEAFLET_VERSION          dist/leaflet.js, dist/leaflet.css, dist/images/*, LICENSE (BSD-2-Clause)
  swagger-ui-dist@$SWAGGER_VERSION  swagger-ui-bundle.js, swagger-ui.css, LICENSE, NOTICE (Apache-2.0)
sha256:
$(cd "$VENDOR" && find leaflet swagger-ui -type f | sort | xargs sha256sum)
TXT
echo "vendored leaflet $LEAFLET_VERSION and swagger-ui-dist $SWAGGER_VERSION into $VENDOR"
