#!/bin/sh
# deploy/kubernetes/keys.sh KEYS_DIR - the Secrets and ConfigMaps that carry
# a key directory (made by `samenctl key init --dir KEYS_DIR`) into the
# cluster, as YAML on stdout:
#
#   deploy/kubernetes/keys.sh keys | kubectl apply -f -
#
#   Secret samen-key-broker         broker.cert_secret (both brokers: one pair)
#   Secret samen-key-NAME           NAME.cert_secret, for intake, scheduling,
#                                   reporting, finance and site
#   ConfigMap samen-broker-cert     broker.cert (the brokers' public key)
#   ConfigMap samen-trusted-keys    public/*.cert (every key the brokers trust)
#
# The admin key (secret/admin.cert_secret) and people's keys stay with their
# owners: they never enter the cluster. After `samenctl key new` or `key
# revoke --dir KEYS_DIR`, run this again: the brokers see the new
# samen-trusted-keys within about a minute, without a restart.
# Needs kubectl (it writes the YAML; nothing is sent to a cluster here).
# $SAMEN_NAMESPACE: the namespace (default samen).
set -eu
dir=${1:?usage: keys.sh KEYS_DIR (a directory made by samenctl key init --dir KEYS_DIR)}
ns=${SAMEN_NAMESPACE:-samen}
for f in "$dir/broker.cert" "$dir/broker.cert_secret"; do
    [ -f "$f" ] || { echo "keys.sh: $f is missing: run samenctl key init --dir $dir" >&2; exit 2; }
done
emit() {
    kubectl create --dry-run=client -o yaml -n "$ns" "$@"
    echo ---
}
emit secret generic samen-key-broker --from-file=broker.cert_secret="$dir/broker.cert_secret"
for name in intake scheduling reporting finance site; do
    emit secret generic "samen-key-$name" --from-file="$name.cert_secret=$dir/secret/$name.cert_secret"
done
emit configmap samen-broker-cert --from-file=broker.cert="$dir/broker.cert"
emit configmap samen-trusted-keys --from-file="$dir/public/"
