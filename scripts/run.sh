#!/usr/bin/env bash
# Starts the Tributary runtime, building it first when it is missing or older than the sources.
#
# Settings come from the environment or from -D arguments passed through (see README "Configuration"):
#   TRIBUTARY_RTSP_PORT (8554)  TRIBUTARY_HTTP_PORT (8080)  TRIBUTARY_DATA (./data)
#   TRIBUTARY_DEPLOY (./deploy)  TRIBUTARY_MEDIA (./media)   JAVA_OPTS (extra JVM options)
#   TRIBUTARY_BUILD (auto: build when the jar is missing or older than the sources; never: run the jar as it is)
# Arguments after the script name are passed to the JVM before -jar (e.g. -Dtributary.rtsp.port=9554).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
home="$root/runtime/target"
jar="$home/tributary.jar"

stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/bundles" "$root/features" "$root/bnd" "$root/runtime/tributary.bndrun" "$root/pom.xml" \
      -newer "$jar" -type f \( -name '*.java' -o -name '*.bnd' -o -name '*.bndrun' -o -name 'pom.xml' -o -name '*.json' \) \
      -not -path '*/target/*' -print -quit 2>/dev/null)" ]
}

if [ "${TRIBUTARY_BUILD:-auto}" != never ] && stale; then
  echo "tributary: building the runtime (./mvnw -DskipTests install)..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests install)
  touch "$jar" # a reproducible build may keep the jar's old time
fi
[ -f "$jar" ] || { echo "tributary: $jar is missing: build it with ./mvnw -DskipTests install" >&2; exit 1; }

data="${TRIBUTARY_DATA:-data}"
deploy="${TRIBUTARY_DEPLOY:-deploy}"
media="${TRIBUTARY_MEDIA:-media}"
rtsp_port="${TRIBUTARY_RTSP_PORT:-8554}"
http_port="${TRIBUTARY_HTTP_PORT:-8080}"
# -D arguments win over the environment; the properties derived from them (HTTP service port, Config Admin,
# framework cache, File Install) follow them too.
for arg in "$@"; do
  case "$arg" in
    -Dtributary.data=*) data="${arg#*=}" ;;
    -Dtributary.deploy=*) deploy="${arg#*=}" ;;
    -Dtributary.media=*) media="${arg#*=}" ;;
    -Dtributary.rtsp.port=*) rtsp_port="${arg#*=}" ;;
    -Dtributary.http.port=*) http_port="${arg#*=}" ;;
  esac
done
mkdir -p "$data" "$deploy"
# Absolute paths: Config Admin resolves a relative felix.cm.dir inside the framework cache, which is cleaned
# at every start, so configurations made with Gogo or REST would not survive a restart.
data=$(cd "$data" && pwd)
deploy=$(cd "$deploy" && pwd)
case "$media" in /*) ;; *) media="$PWD/$media" ;; esac

props=(
  "-Dtributary.home=$home"
  "-Dtributary.data=$data"
  "-Dtributary.deploy=$deploy"
  "-Dtributary.media=$media"
  "-Dtributary.rtsp.port=$rtsp_port"
  "-Dtributary.http.port=$http_port"
  "-Dorg.osgi.service.http.port=$http_port"
  "-Dfelix.cm.dir=$data/config"
  "-Dorg.osgi.framework.storage=$data/cache"
  "-Dfelix.fileinstall.dir=$deploy"
)

# Gogo with line editing on a terminal. Without one (a pipe, nohup, </dev/null, a service manager) the
# shell runs whatever commands arrive on stdin and, at end of input, ends without stopping the framework.
if [ ! -t 0 ]; then
  props+=("-Dgosh.args=--noshutdown" "-Dorg.jline.terminal.dumb=true")
fi

# exec: SIGTERM and Ctrl-C reach the JVM, whose shutdown hook stops the framework cleanly.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} "${props[@]}" "$@" -jar "$jar"
