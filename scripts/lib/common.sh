# Sourced by the scripts, for what they would otherwise each repeat:
#   . "$root/scripts/lib/common.sh"

# The project's version, from the root pom's own <version> (the first in the file: the root pom has no parent).
#   version=$(project_version "$root")
project_version() {
  local pom="${1:-.}/pom.xml" version
  version=$(sed -n 's:^[[:space:]]*<version>\([^<]*\)</version>[[:space:]]*$:\1:p' "$pom" | head -n 1)
  [ -n "$version" ] || { echo "no <version> in $pom" >&2; return 1; }
  echo "$version"
}

# Prints a script's help: the comment block at its top (after the #! line), without the leading "# ".
#   script_help "$0"
script_help() {
  awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$1"
}
