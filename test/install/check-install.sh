#!/usr/bin/env bash
# Installs mq the ways a user would and checks that each gives a working `mq`, `man mq` and library:
#
#   test/install/check-install.sh TARBALL [CHECKOUT]
#
# TARBALL (from `npm pack`) is installed globally into a temporary prefix (npm_config_prefix, as a user
# without root installs into ~/.local), into a separate project (the library, with no other package), and
# run with npx. CHECKOUT, if given, is a git checkout: a fresh clone of it (no node_modules, no dist/) is
# installed with `npm install -g CLONE`, which builds it through the `prepare` script (this needs the npm
# registry for the build's dev dependencies).
#
# Run as root, every install and check runs as the user nobody, whose home is a temporary directory; run
# as anyone else, as that user. Any failure ends the script with "check-install: FAILED: ..." and exit 1.
set -euo pipefail

fail() {
  echo "check-install: FAILED: $*" >&2
  exit 1
}
step() {
  echo "check-install: $*" >&2
}

[ $# -ge 1 ] && [ -f "$1" ] || fail "usage: $0 TARBALL [CHECKOUT]"
tarball=$(realpath "$1")
checkout=${2:+$(realpath "$2")}
for tool in node npm man tar; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done

work=$(mktemp -d "${TMPDIR:-/tmp}/mq-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
version=$(tar -xzOf "$tarball" package/package.json | node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(0, "utf8")).version)')
prefix=$work/prefix
mkdir -p "$prefix" "$work/cache" "$work/home" "$work/app" "$work/elsewhere"
cp "$tarball" "$work/mq.tgz"
if [ -n "$checkout" ]; then
  command -v git >/dev/null || fail "git is not installed"
  git clone --quiet "$checkout" "$work/src"
fi

if [ "$(id -u)" = 0 ]; then
  user=nobody
  id "$user" >/dev/null 2>&1 || fail "there is no user $user to install as"
  command -v setpriv >/dev/null || fail "setpriv (util-linux) is not installed"
  chmod 755 "$work"
  chown -R "$user:$(id -gn "$user")" "$work"
  drop=(setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups)
else
  user=$(id -un)
  drop=()
fi
# The caller's environment (proxy and CA settings) with the user's own home, prefix and npm cache; no
# MQ_HOME, so mq uses its default store under that home.
as_user() {
  (cd "$dir" && "${drop[@]}" env -u MQ_HOME -u XDG_DATA_HOME -u npm_config_global \
    HOME="$work/home" USER="$user" LOGNAME="$user" PATH="$prefix/bin:$PATH" \
    npm_config_prefix="$prefix" npm_config_cache="$work/cache" npm_config_update_notifier=false \
    "$@")
}
npm_install() {
  as_user npm install --no-audit --no-fund --loglevel=error "$@" >"$work/npm.log" 2>&1 || { cat "$work/npm.log" >&2; fail "npm install $*"; }
}

# mq as installed in the prefix works: the command, its version, the queues, and the man page.
check_command() {
  local how=$1
  [ "$(as_user sh -c 'command -v mq')" = "$prefix/bin/mq" ] || fail "$how: mq is not $prefix/bin/mq"
  [ "$(as_user mq --version)" = "$version" ] || fail "$how: mq --version does not print $version"
  as_user mq create jobs || fail "$how: mq create"
  echo "hello from $how" | as_user mq send jobs >/dev/null || fail "$how: mq send"
  [ "$(as_user mq receive jobs --body --delete)" = "hello from $how" ] || fail "$how: mq receive did not return the message"
  [ -d "$work/home/.local/share/mq/queues/jobs" ] || fail "$how: the default store is not in ~/.local/share/mq"
  as_user mq rm jobs
  # man finds the page through PATH ($prefix/bin -> $prefix/share/man), as for an install in ~/.local.
  [ -f "$prefix/share/man/man1/mq.1" ] || fail "$how: npm did not install $prefix/share/man/man1/mq.1"
  page=$(as_user man -w mq) || fail "$how: man -w mq finds no page"
  [ "$(realpath "$page")" = "$(realpath "$prefix/share/man/man1/mq.1")" ] || fail "$how: man -w mq finds $page, not $prefix/share/man/man1/mq.1"
  as_user man mq 2>/dev/null | grep -q '^EXIT STATUS' || fail "$how: man mq does not show the page"
}

dir=$work
step "installing $(basename "$tarball") globally as $user into $prefix"
npm_install -g "$work/mq.tgz"
check_command "npm install -g TARBALL"

step "the library from a separate project, with nothing but the NATS client beside it"
dir=$work/app
as_user npm init -y >/dev/null
npm_install "$work/mq.tgz"
# Everything installed beside mq-cli is the NATS client's (its one dependency): nothing the CLI bundles.
others=$(as_user npm ls --all --parseable --omit=dev | awk -v modules="$work/app/node_modules/" '
  index($0, modules) == 1 { name = substr($0, length(modules) + 1); if (name != "mq-cli" && name !~ /^@nats-io\// && name != "tweetnacl") print name }' | tr "\n" " ")
[ -z "$others" ] || fail "the library brought other packages along: $others"
[ ! -e "$work/app/node_modules/commander" ] || fail "the library brought commander along"
as_user mq create jobs
as_user mq send jobs 'sent by the command' >/dev/null
received=$(as_user node --input-type=module -e "
  import { openBackend } from 'mq-cli';
  const mq = openBackend({ home: process.env.HOME + '/.local/share/mq' });
  const [message] = await mq.queues.receive('jobs', { max: 1 });
  await mq.queues.ack('jobs', [message.receipt]);
  await mq.streams.create('events', { shardCount: 2 });
  await mq.streams.put('events', [{ data: 'x', partitionKey: 'k' }]);
  process.stdout.write(message.body);
") || fail "import { openBackend } from 'mq-cli' failed"
[ "$received" = "sent by the command" ] || fail "the library received \"$received\""
[ -f "$work/app/node_modules/mq-cli/dist/lib/index.d.ts" ] || fail "the library has no type declarations"
as_user mq rm jobs
as_user mq rm-stream events

step "npx from the tarball, in another directory"
dir=$work/elsewhere
[ "$(as_user npx --yes --package "$work/mq.tgz" mq --version 2>"$work/npx.log")" = "$version" ] || { cat "$work/npx.log" >&2; fail "npx --package TARBALL mq --version"; }

if [ -n "$checkout" ]; then
  dir=$work
  step "npm install -g from a fresh clone of $checkout (the prepare script builds it)"
  as_user npm uninstall -g mq-cli >/dev/null 2>&1
  [ ! -e "$prefix/bin/mq" ] || fail "npm uninstall -g left $prefix/bin/mq"
  npm_install -g "$work/src"
  check_command "npm install -g CHECKOUT"
fi
step "passed"
