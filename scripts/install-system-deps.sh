#!/usr/bin/env bash
# Installs the system packages the course build needs, and only those that are missing.
# Safe to run again: a machine that has everything installs nothing and does not touch apt.
set -euo pipefail

# Why each package is here:
#   pkg-config libcairo2-dev libpango1.0-dev  manim builds pycairo/manimpango against these
#   fonts-noto-cjk                             Korean glyphs for matplotlib, manim, slides, PDFs
#   fonts-dejavu-core                          sub- and superscripts the CJK fonts lack, in handouts
#   texlive-* dvisvgm                          manim's MathTex (standalone + preview classes)
#   libreoffice-impress                        renders decks to PDF for checks and previews
#   poppler-utils                              pdftoppm/pdfinfo to render and count PDF pages
#   chromium                                   loads the course page headless in tests
#   ffmpeg                                     probes the rendered videos' frames and size
PACKAGES=(
  pkg-config libcairo2-dev libpango1.0-dev
  fonts-noto-cjk fonts-dejavu-core
  texlive-latex-base texlive-latex-extra texlive-fonts-recommended dvisvgm
  libreoffice-impress
  poppler-utils
  chromium
  ffmpeg
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi

echo "system packages: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
