#!/bin/sh
# Regenerates hello-http-pool.wav, the speech sample committed next to this script.
# Needs espeak-ng (Debian/Ubuntu: apt-get install -y espeak-ng). The output is 16-bit PCM
# mono WAV at 22.05 kHz, about 20 seconds: two chunks at the default 15 s chunk duration.
set -eu
cd "$(dirname "$0")"
espeak-ng -v en-us -s 165 -g 6 -w hello-http-pool.wav \
	"Hello from the http-pool sample. This recording is cut into chunks of fifteen seconds. \
Each chunk is sent to the speech to text service as its own request, \
and all of them share one pooled HTTP two connection. Thank you for listening."
