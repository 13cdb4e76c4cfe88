# Sourced by the scripts that run offline inside a private network+mount namespace
# (direct-e2e.sh, origin-e2e.sh, scan-e2e.sh, bench-scan.sh): the set-up they share.

# ns_enter VAR ARGS…: unless VAR is 1, re-executes the calling script with VAR=1 and ARGS in new
# user (mapped to root), network and mount namespaces (unshare); returns inside them.
ns_enter() {
  local var=$1; shift
  if [ "${!var:-}" != 1 ]; then
    exec env "$var=1" unshare --user --map-root-user --net --mount "$0" "$@"
  fi
}

# ns_setup: inside the namespace, brings up loopback; T is a fresh temporary directory, removed
# at exit (made writable first: module caches are read-only) after every pid in the array
# `servers` is killed; example.test resolves to 127.0.0.1 through a hosts file bind-mounted on
# /etc/hosts; HOME and a global git config (user t, branch main) live under T.
ns_setup() {
  ip link set lo up
  T=$(mktemp -d)
  servers=()
  # SIGKILL: a parent (a test runner) may have left SIGTERM blocked or ignored.
  trap 'for p in "${servers[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
  printf '127.0.0.1 localhost example.test\n' > "$T/hosts"
  mount --bind "$T/hosts" /etc/hosts
  export HOME=$T/home GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$T/gitconfig
  mkdir -p "$HOME"
  printf '[user]\n\tname = t\n\temail = t@example.test\n[init]\n\tdefaultBranch = main\n' > "$GIT_CONFIG_GLOBAL"
}

# ns_wait_tcp TRIES PORT…: waits (TRIES × 0.1 s at most) until 127.0.0.1 accepts a connection
# on every PORT.
ns_wait_tcp() {
  local tries=$1 port up; shift
  for _ in $(seq "$tries"); do
    up=1
    for port in "$@"; do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { up=0; break; }; done
    [ "$up" = 1 ] && return 0
    sleep 0.1
  done
  return 0
}
