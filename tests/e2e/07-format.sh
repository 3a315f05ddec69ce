# The tree is formatted with the committed .clang-format (make
# format-check), and the check would see a file that is not.
expect_exit format-check 0 make -s format-check
plant=$(mktemp -d)
cp .clang-format "$plant/"
printf 'int  f( void ){return 0;}\n' >"$plant/planted.c"
expect_exit format-check-sees-a-planted-file 1 clang-format --dry-run -Werror "$plant/planted.c"
rm -rf "$plant"
