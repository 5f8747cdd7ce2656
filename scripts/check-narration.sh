#!/usr/bin/env bash
# Fails when a tracked file tells how the product was developed instead of what it does: work sessions and
# rounds, the machine something happened to run on, tracker numbers, a reference file that is not in the
# repository. Documents state facts (dated in docs/adr/); history belongs to git.
#
#   scripts/check-narration.sh          # prints each offending line as path:line:text, exits 1 if any
#
# Django's session (middleware, cookies, SessionAuthentication) is a product word and is not matched: only
# narration shapes are ("this session", "session 12", "in an earlier session").
set -euo pipefail
cd "$(dirname "$0")/.."

# Case-insensitive extended regular expressions, one per line.
PATTERNS=(
  '\b(this|that|each|every|the same|the next|the previous|an earlier|earlier|previous|a later|later|one|another) session\b'
  '\bsessions? [0-9]+'
  '\bsession-[0-9]+'
  '\bthe session before\b'
  '\bround [0-9]+\b'
  '\b[0-9]+(st|nd|rd|th) round\b'
  '\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|this|that|earlier|previous|last|next) round\b'
  '\bin [a-z0-9]+ rounds\b'
  '\b(this|the|that|a|our|its|one) VM\b'
  "\\bVM's\\b"
  "[a-z0-9]'s VM\\b"
  '\bon this machine\b'
  '\bmachine it ran on\b'
  '\bissues? #?[0-9]+\b'
  '\b(the|this|that) issue (asks|asked|says|said|wants|wanted|requires|required)\b'
  '\bstop [0-9]+\b'
  'domain-rules'
  '\bthe lead (merges|merged|fixes|fixed|regenerates|will|said|asked)\b'
)
# Lines that speak of Django's session itself are the product's (a login session's key, its cookie).
ALLOW='\bsession (key|cookie|id|middleware|engine|authentication|store|data|backend)s?\b|SessionAuthentication'
# "#12" as a tracker reference, in prose only (Markdown, and comments of code and configuration).
PROSE_HASH='(^|[[:space:](])#[0-9]+\b'
COMMENT_HASH='#.*[[:space:](]#[0-9]+\b'

mapfile -d '' FILES < <(
  git ls-files -z -- . \
    ':(exclude)*.po' ':(exclude)*.mo' ':(exclude)shared/*' ':(exclude)scripts/check-narration.sh' \
    ':(exclude)*.png' ':(exclude)*.jpg' ':(exclude)*.svg' ':(exclude)*.ico' ':(exclude)*.woff2'
)

joined=$(IFS='|'; echo "${PATTERNS[*]}")
status=0
hits=$(printf '%s\0' "${FILES[@]}" | xargs -0 grep -nIiE -- "$joined" 2>/dev/null | grep -viE -- "$ALLOW" || true)

prose=()
code=()
for f in "${FILES[@]}"; do
  case "$f" in
    *.md | *.txt | *.rst) prose+=("$f") ;;
    *.py | *.sh | *.toml | *.cfg | *.ini | *.yaml | *.yml | Makefile | .ci/*) code+=("$f") ;;
  esac
done
if ((${#prose[@]})); then
  hits+=$'\n'$(printf '%s\0' "${prose[@]}" | xargs -0 grep -nIE -- "$PROSE_HASH" 2>/dev/null || true)
fi
if ((${#code[@]})); then
  hits+=$'\n'$(printf '%s\0' "${code[@]}" | xargs -0 grep -nIE -- "$COMMENT_HASH" 2>/dev/null || true)
fi

hits=$(printf '%s\n' "$hits" | sed '/^$/d' | sort -t: -k1,1 -k2,2n -u)
if [[ -n "$hits" ]]; then
  printf '%s\n' "$hits"
  count=$(printf '%s\n' "$hits" | wc -l)
  echo "开发过程叙述：${count} 处（会话、轮次、运行机器、问题编号、仓库外的参考文件）。请改写为对产品本身的陈述；决策的历史写入 docs/adr/ 并注明日期。" >&2
  status=1
fi
exit $status
