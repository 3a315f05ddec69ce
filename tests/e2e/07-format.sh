# The tree is formatted with the committed .clang-format (make
# format-check), and the check would see a file that is not.
expect_exit format-check 0 make -s format-check
plant=$(mktemp -d)
cp .clang-format "$plant/"
printf 'int  f( void ){return 0;}\n' >"$plant/planted.c"
expect_exit format-check-sees-a-planted-file 1 clang-format --dry-run -Werror "$plant/planted.c"
rm -rf "$plant"
# `make` alone builds ./stress: the dependency files it reads must not
# supply the first target.
goal=$(make -pq 2>/dev/null | sed -n 's/^\.DEFAULT_GOAL := //p')
if [ "$goal" = all ]; then pass make-default-goal-is-all; else fail make-default-goal-is-all "make's default goal is '$goal'"; fi
