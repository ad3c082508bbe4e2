# Shared by test.sh and try.sh: installs the Debian packages that are missing
# (apt-get, with sudo when not root). `need CMD PACKAGE` and `need_dev PACKAGE`
# collect them; `install_missing` installs what was collected.
# shellcheck shell=bash

missing=()

# need CMD PACKAGE: PACKAGE when CMD is not on PATH (or in /usr/sbin).
need() {
    command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || missing+=("$2")
}

# need_dev PACKAGE: a library's -dev package, checked with dpkg.
need_dev() {
    dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1")
}

install_missing() {
    [ ${#missing[@]} -gt 0 ] || return 0
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # The tests start their own kamailio on high ports; the package's
    # service (on 5060) is not wanted on a test box.
    if [[ " ${missing[*]} " == *" kamailio "* ]] && command -v systemctl >/dev/null 2>&1; then
        $sudo systemctl disable --now kamailio >/dev/null 2>&1 || true
    fi
}
