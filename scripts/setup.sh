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
	[clang-format]=/usr/bin/clang-format
	[clang-tidy]=/usr/bin/clang-tidy
	[cppcheck]=/usr/bin/cppcheck
	[libjansson-dev]=/usr/include/jansson.h
	[libcmocka-dev]=/usr/include/cmocka.h
	[liburcu-dev]=/usr/include/urcu.h
	[hyperfine]=/usr/bin/hyperfine
	[python3]=/usr/bin/python3
	# scripts/sweep.sh shards seeds with it (tests/e2e/53-sweep.sh)
	[parallel]=/usr/bin/parallel
	# the nightly page is checked in it, headless (tests/e2e/52-nightly-page.sh)
	[chromium]=/usr/bin/chromium
)
# The sanitizers' and libFuzzer's runtimes ship with clang's compiler-rt
# package on Debian.
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

# Can clang link what make tsan, make asan and make fuzz build?
sanitizers_work() {
	local dir ok=1
	dir=$(mktemp -d) || return 1
	printf 'int main(void){return 0;}\n' >"$dir/probe.c"
	printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n){(void)d;(void)n;return 0;}\n' >"$dir/fuzz.c"
	clang -fsanitize=thread -o "$dir/probe" "$dir/probe.c" 2>/dev/null || ok=
	clang -fsanitize=address,undefined -o "$dir/probe" "$dir/probe.c" 2>/dev/null || ok=
	clang -fsanitize=fuzzer,address -o "$dir/fuzz" "$dir/fuzz.c" 2>/dev/null || ok=
	rm -rf "$dir"
	[ -n "$ok" ]
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
if ! sanitizers_work; then
	rt=$(clang_rt_pkg)
	if [ -n "$rt" ] && apt-cache show "$rt" >/dev/null 2>&1; then
		install "$rt"
	fi
	sanitizers_work || {
		echo "setup: clang cannot link -fsanitize=thread, address,undefined or fuzzer programs" >&2
		exit 1
	}
fi
echo "setup: everything lostflush needs is installed"
