#!/bin/sh
# Stand-in for the Hugging Face CLI, copied into a temporary PATH by the tests: no real CLI can be
# installed on the build machine. It behaves like `hf download REPO FILE [--revision R]` does:
# progress bars (tqdm style, redrawn with \r) on stderr, the cached file's path on stdout, and an
# error message with a non-zero exit on failure. STUB_MODE picks the behaviour; STUB_LOG records
# each call, and the token it received, for the test to check.
printf '%s %s\n' "$(basename "$0")" "$*" >> "$STUB_LOG"
printf 'token=%s cache=%s pid=%s\n' "${HF_TOKEN:-none}" "$HF_HUB_CACHE" "$$" >> "$STUB_LOG"

if [ "$1" != download ]; then
  echo "Error: unknown command '$1'" >&2
  exit 2
fi
shift
# Options, then '--' (which the real CLIs' argparse and click parsers read as "only positional
# arguments follow"), then REPO FILE; an unknown option fails as the real CLI does.
rev=main
while [ $# -gt 0 ]; do
  case "$1" in
    --revision) rev=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "Error: No such option: $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
repo=$1
file=$2

case "$STUB_MODE" in
  fail)
    echo "Traceback (most recent call last):" >&2
    echo "  File \"/usr/lib/python3/site-packages/huggingface_hub/file_download.py\", line 1010, in hf_hub_download" >&2
    echo "huggingface_hub.errors.EntryNotFoundError: 404 Client Error. (Request ID: Root=1-6789)" >&2
    echo "Entry Not Found for url: /$repo/resolve/$rev/$file (sent with token $HF_TOKEN)." >&2
    exit 1 ;;
  denied)
    echo "huggingface_hub.errors.GatedRepoError: 401 Client Error. Cannot access gated repo for url /$repo/resolve/$rev/$file." >&2
    exit 1 ;;
  broken)
    echo "OSError: [Errno 28] No space left on device" >&2
    exit 1 ;;
  hang)
    printf '%s:   0%%|          | 0.00/1.00G [00:00<?, ?B/s]\r' "$file" >&2
    exec sleep 60 ;;
  hangtree)
    # A child of our own, as a real CLI's worker would be: stopping the CLI must stop it too.
    sleep 60 &
    printf 'child=%s\n' "$!" >> "$STUB_LOG"
    wait ;;
  numbers)
    echo "OSError: wrote 4031 of 14035 blocks of gated4010.gguf, then the disk filled (errno 28)" >&2
    exit 1 ;;
  outside)
    # A path that looks right but lies outside the cache: a wrapper, or a hostile CLI.
    mkdir -p "$HF_HUB_CACHE/../elsewhere"
    printf 'not from the cache' > "$HF_HUB_CACHE/../elsewhere/$file"
    echo "$HF_HUB_CACHE/../elsewhere/$file"
    exit 0 ;;
  otherfile)
    echo "$STUB_LOG"
    exit 0 ;;
  wrongpath)
    echo "$HF_HUB_CACHE/models--nowhere/snapshots/0000000000000000000000000000000000000000/$file"
    exit 0 ;;
esac

commit=4444444444444444444444444444444444444444
blob=5555555555555555555555555555555555555555555555555555555555555555
folder="$HF_HUB_CACHE/models--$(printf %s "$repo" | sed 's#/#--#g')"
mkdir -p "$folder/blobs" "$folder/refs/$(dirname "$rev")" "$folder/snapshots/$commit"
printf '%s:   0%%|          | 0.00/1.00G [00:00<?, ?B/s]\r' "$file" >&2
sleep 0.3  # longer than the listener's throttle, so the middle bar is forwarded too
printf '%s:  45%%|████▌     | 450M/1.00G [00:10<00:12, 45.0MB/s]\r' "$file" >&2
printf '%s: 100%%|██████████| 1.00G/1.00G [00:22<00:00, 45.0MB/s]\n' "$file" >&2
printf 'gguf bytes of %s at %s' "$repo" "$rev" > "$folder/blobs/$blob"
printf %s "$commit" > "$folder/refs/$rev"
ln -s "../../blobs/$blob" "$folder/snapshots/$commit/$file"
if [ "$STUB_MODE" = flood ]; then
  # Endless-looking chatter on stdout, far more than any buffer should keep, before the path.
  yes 'chatter from a misbehaving CLI wrapper, repeated' | head -c "${STUB_FLOOD_BYTES:-100000000}"
  head -c 5000000 /dev/zero | tr '\0' x
  echo
fi
if [ "$STUB_MODE" = modern ]; then
  # Newer CLIs print a summary for people instead of the bare path.
  printf '\033[32m✓ Downloaded\033[0m\n  path: %s\n' "$folder/snapshots/$commit/$file"
else
  echo "$folder/snapshots/$commit/$file"
fi
