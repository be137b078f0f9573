#!/bin/sh
# Regenerates hello-http-pool.wav, the speech sample committed next to this script, from the
# sentence in hello-http-pool.txt. Needs flite (Debian/Ubuntu: apt-get install -y flite); its
# "rms" voice is the one Sphinx4's US-English model recognises best. The output is 16 kHz mono
# 16-bit PCM WAV, about 20 seconds: two chunks at the default 15 s chunk duration.
set -eu
cd "$(dirname "$0")"
flite -voice rms -f hello-http-pool.txt -o hello-http-pool.wav
