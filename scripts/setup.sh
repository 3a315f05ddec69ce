#!/usr/bin/env bash
# Install what lostflush needs to build and test, from Debian's packages.
# As root: apt-get update, then install whatever is missing. Otherwise: print
# the exact command to run and exit 1.
set -eu

# package: a file whose presence shows it is installed
declare -A needs=(
	[gcc]=/usr/bin/gcc
	[make]=/usr/bin/make
	[clang]=/usr/bin/clang
	[libjansson-dev]=/usr/include/jansson.h
	[libcmocka-dev]=/usr/include/cmocka.h
	[liburcu-dev]=/usr/include/urcu.h
	[hyperfine]=/usr/bin/hyperfine
	[python3]=/usr/bin/python3
)
# ThreadSanitizer's runtime ships with clang's compiler-rt package on Debian.
clang_rt_pkg() {
	local v
	v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p')
	[ -n "$v" ] && echo "libclang-rt-$v-dev"
}

missing=()
for pkg in "${!needs[@]}"; do
	[ -e "${needs[$pkg]}" ] || [ -e "/usr/include/x86_64-linux-gnu/$(basename "${needs[$pkg]}")" ] ||
		missing+=("$pkg")
done

tsan_works() {
	local dir ok
	dir=$(mktemp -d) || return 1
	printf 'int main(void){return 0;}\n' >"$dir/probe.c"
	clang -fsanitize=thread -o "$dir/probe" "$dir/probe.c" 2>/dev/null && ok=1
	rm -rf "$dir"
	[ -n "${ok:-}" ]
}

install() {
	[ $# -gt 0 ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "lostflush needs: $*" >&2
		echo "run as root:  apt-get update && apt-get install -y $*" >&2
		exit 1
	fi
	echo "setup: installing $*"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

install "${missing[@]}"
if ! tsan_works; then
	rt=$(clang_rt_pkg)
	if [ -n "$rt" ] && apt-cache show "$rt" >/dev/null 2>&1; then
		install "$rt"
	fi
	tsan_works || { echo "setup: clang cannot link -fsanitize=thread programs" >&2; exit 1; }
fi
echo "setup: everything lostflush needs is installed"
