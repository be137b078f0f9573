#!/bin/sh
# Regenerates the WAV files RecognitionQualityTests falls back on where flite is not installed:
# one file per line of sentences.txt, spoken by flite's "rms" voice (16 kHz mono 16-bit PCM).
# Needs flite (Debian/Ubuntu: apt-get install -y flite).
set -eu
cd "$(dirname "$0")"
n=0
while IFS= read -r sentence; do
	n=$((n + 1))
	flite -voice rms -t "$sentence" -o "sentence-$n-rms.wav"
done < sentences.txt
