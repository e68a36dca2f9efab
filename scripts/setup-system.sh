#!/usr/bin/env bash
# Installs the Debian packages the tests use (as root, or through sudo). Idempotent.
#  - postgresql: the real PostgreSQL 15 the store and locker contract suites run against
#  - python3-stomp: a STOMP client written by others (Debian's, used with /usr/bin/python3)
#  - chromium: the real browser the end-to-end tests drive with playwright-core (/usr/bin/chromium)
#  - libactivemq-java & co: ActiveMQ's own JMS client (activemq-client.jar with geronimo-jms_1.1_spec,
#    geronimo-j2ee-management, hawtbuf, slf4j-api in /usr/share/java), driven by the OpenWire tests
#    through a small Java program compiled with javac (Java 17: default-jdk-headless)
#  - activemq: only its activemq*.xml files are used, as real-world input for the config loader;
#    the .deb is downloaded and unpacked to /tmp/activemq-deb (no Java dependencies installed)
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
need=()
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
/usr/bin/python3 -c 'import stomp' 2>/dev/null || need+=(python3-stomp)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v javac >/dev/null || need+=(default-jdk-headless)
[ -f /usr/share/java/activemq-client.jar ] || need+=(libactivemq-java)
[ -f /usr/share/java/geronimo-jms_1.1_spec.jar ] || need+=(libgeronimo-jms-1.1-spec-java)
[ -f /usr/share/java/geronimo-j2ee-management-1.1-spec.jar ] || need+=(libgeronimo-j2ee-management-1.1-spec-java)
[ -f /usr/share/java/hawtbuf.jar ] || need+=(libhawtbuf-java)
[ -f /usr/share/java/slf4j-api.jar ] || need+=(libslf4j-java)
updated=""
update() { [ -n "$updated" ] || { $SUDO apt-get update -qq; updated=1; }; }
if [ ${#need[@]} -gt 0 ]; then
  update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -d /tmp/activemq-deb/etc/activemq ]; then
  update
  work=$(mktemp -d)
  (cd "$work" && apt-get download activemq >/dev/null && rm -rf /tmp/activemq-deb && dpkg -x activemq_*.deb /tmp/activemq-deb)
  rm -rf "$work"
fi
