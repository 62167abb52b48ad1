#!/usr/bin/env bash
# Installs, only when missing, the Debian packages that the tests and the README's play commands use:
# GStreamer 1.x (tools, base/good/bad/ugly/libav plugins, RTSP, and the X video sinks that autovideosink
# picks), FFmpeg (with ffplay), Xvfb, Chromium and its driver, gcc (the client tests build a small
# gst-rtsp-server), V4L2, libjpeg-turbo's Java binding (webcam source) and tmux (the shell test types
# into a real terminal).
# Safe to run any number of times; does nothing when everything is present.
set -euo pipefail

packages=(
  gstreamer1.0-tools
  gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good
  gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly
  gstreamer1.0-libav
  gstreamer1.0-rtsp
  gstreamer1.0-x
  ffmpeg
  xvfb
  chromium
  chromium-driver
  libv4l-0
  libturbojpeg-java
  libturbojpeg0-dev
  gcc
  libc6-dev
  tmux
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all test dependencies present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
