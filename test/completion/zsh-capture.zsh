# Completes a line in a real interactive zsh (in a zpty) with compinit and the given fpath directory, and
# prints the candidates zsh accepted, one a line. compadd is wrapped only to report what it was given
# after zsh's own matching (`-A`), as zsh-capture-completion does.
# usage: zsh -f zsh-capture.zsh FPATH_DIR COMPDUMP 'scoped cr' [PRELUDE]   (PRELUDE: code run before the Tab)
zmodload zsh/zpty || exit 2
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=(${(q)1} \$fpath); autoload -U compinit; compinit -u -d ${(q)2}"
zpty -w z "bindkey '^I' complete-word"
# The markers are spelt in two pieces so that zsh echoing these lines never matches them.
zpty -w z "__capture_end () { print -r -- '<<''END>>'; exit }; comppostfuncs=( __capture_end )"
zpty -w z 'compadd () {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return $?; fi
  local -a hits; builtin compadd -A hits "$@"
  local h; for h in $hits; do print -r -- "<<""HIT>>$h"; done
  builtin compadd "$@"
}'
[[ -n $4 ]] && zpty -w z "$4"
zpty -w -n z "$3"$'\t'
local out
zpty -r -m z out '*<<END>>*' || exit 3
print -r -- ${(F)${${(M)${(f)out//$'\r'/}:#*<<HIT>>*}//*<<HIT>>/}}
zpty -d z
