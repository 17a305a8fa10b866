#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image: Python, the CPU
# build of torch, then gengrade with its pinned dependencies, in a virtual environment
# beside this script that run_autograder uses.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y python3 python3-pip python3-venv
python3 -m venv "$HERE/.venv"
"$HERE/.venv/bin/python" -m pip install --upgrade pip
"$HERE/.venv/bin/python" -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
"$HERE/.venv/bin/python" -m pip install -c "$HERE/gengrade/constraints.txt" -e "$HERE/gengrade"
