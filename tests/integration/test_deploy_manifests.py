"""deploy/kubernetes and deploy/container/Containerfile held to the daemons.

No cluster and no container engine run here, so what can be tested without
them is: every manifest parses; each probe is an httpGet of the port and
path the daemon serves (its http_port in the ConfigMap's samen.cfg, bound on
the pod's addresses by http_address, the paths of common/opsweb.c), and the
Prometheus annotations and the Services' metrics ports say the same; the
containers' flags are flags the programs accept (their
--help); Services, containerPorts and the config's broker endpoints agree;
every path the config names is on a volume of the right kind; each service
is one StatefulSet replica with its own claim; the security context and
resources are set everywhere; the Secrets and ConfigMaps keys.sh makes are
the ones the pods mount. Then the pods' file systems are laid out under a
temporary directory as the kubelet would (the ConfigMaps, the Secrets with
the 0440 fsGroup gives them, the emptyDirs and volumes), the init containers'
commands run, and the two brokers, the four services and samen-site start
from $SAMEN_BIN with the ConfigMap's samen.cfg and the manifests' arguments
(paths moved under that directory, ports onto free loopback ports, every
address onto 127.0.0.1), answer their probes and serve samenctl status
through the pair.

The Containerfile: its build stage installs every package of the Makefile's
DEBS_BUILD, its runtime stage a package for every shared library the release
programs link (ldd build/release/samen-*, dpkg -S), its COPY sources exist.
kubectl (kustomize and create --dry-run=client work offline) is used when it
is there and skipped, counted as such, when not.
"""
import functools
import glob
import os
import re
import shlex
import shutil
import stat
import subprocess
import time
import urllib.error
import urllib.request

import samentest as st

try:
    import yaml
except ImportError:  # python3-yaml (DEBS_TEST)
    yaml = None

ROOT = st.ROOT
K8S = os.path.join(ROOT, "deploy", "kubernetes")
CONTAINERFILE = os.path.join(ROOT, "deploy", "container", "Containerfile")
SERVICES = ["intake", "scheduling", "reporting", "finance"]
DAEMONS = ["broker"] + SERVICES + ["site"]
RELEASE = os.path.join(ROOT, "build", "release")


# ---- reading the manifests ------------------------------------------------------
def manifest_files():
    return sorted(glob.glob(os.path.join(K8S, "*.yaml")))


@functools.lru_cache(maxsize=None)
def docs():
    """Every object of every manifest but kustomization.yaml: [(file, doc)]."""
    out = []
    for path in manifest_files():
        if os.path.basename(path) == "kustomization.yaml":
            continue
        with open(path) as f:
            for d in yaml.safe_load_all(f):
                if d is not None:
                    out.append((os.path.basename(path), d))
    return out


def objects(kind):
    return {d["metadata"]["name"]: d for _, d in docs() if d.get("kind") == kind}


def workloads():
    """StatefulSets and Deployments by name."""
    w = objects("StatefulSet")
    w.update(objects("Deployment"))
    return w


def pod_spec(w):
    return w["spec"]["template"]["spec"]


def daemon_of(container):
    """The samen program a container runs ("broker", "intake", ..., "site"), or None."""
    cmd = container.get("command") or []
    if cmd and cmd[0].startswith("samen-"):
        return cmd[0][len("samen-"):]
    return None


def daemon_containers():
    """[(workload, pod spec, container, daemon)] for every container running a daemon."""
    out = []
    for wname, w in workloads().items():
        spec = pod_spec(w)
        for c in spec["containers"]:
            d = daemon_of(c)
            if d:
                out.append((wname, spec, c, d))
    return out


def config_text():
    return objects("ConfigMap")["samen-config"]["data"]["samen.cfg"]


def zpl(text):
    """samen.cfg (ZPL) as {"section/name": value}: four spaces a level, `name = value`
    (quoted or not), `#` comments outside quotes."""
    out, stack = {}, []
    for raw in text.splitlines():
        line, q = "", False
        for ch in raw:
            if ch == '"':
                q = not q
            if ch == "#" and not q:
                break
            line += ch
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        st.check(indent % 4 == 0, f"samen.cfg: indentation not a multiple of 4: {raw!r}")
        level = indent // 4
        stack = stack[:level]
        body = line.strip()
        if "=" in body:
            name, value = (s.strip() for s in body.split("=", 1))
            if value.startswith('"') and value.endswith('"'):
                value = value[1:-1]
            out["/".join(stack + [name])] = value
        else:
            stack.append(body)
    return out


def table_defaults():
    """{"section/name": default} for the rows of common/config_table.c that
    name their section (the http ports among them)."""
    with open(os.path.join(ROOT, "common", "config_table.c")) as f:
        src = f.read()
    return {f"{s}/{n}": v for s, n, v in
            re.findall(r'\{"(\w+)", "([\w/]+)", SM_CFG_\w+, [^,]+, [^,]+, "([^"]*)"', src)}


def setting(cfg, path):
    return cfg.get(path, table_defaults().get(path))


def served_paths():
    """The paths common/opsweb.c answers."""
    with open(os.path.join(ROOT, "common", "opsweb.c")) as f:
        return set(re.findall(r'strcmp\(url, "(/[a-z]+)"\)', f.read()))


def container_port(container, port):
    """The number of a container's port given by name or number (as a probe
    or a Service's targetPort gives it)."""
    if isinstance(port, int):
        return port
    named = {p["name"]: p["containerPort"] for p in container.get("ports", [])}
    st.check(port in named, f"{container['name']} has a port named {port!r}: {named}")
    return named[port]


def http_get(container, probe):
    """(port number, path) of an httpGet probe: the kubelet asks the pod's
    address (no host), over plain HTTP, and nothing runs in the container."""
    st.check("exec" not in probe and "httpGet" in probe,
             f"{container['name']}: an httpGet probe, not {probe}")
    g = probe["httpGet"]
    st.check("host" not in g, f"{container['name']}: the probe asks the pod's address: {g}")
    st.eq(g.get("scheme", "HTTP"), "HTTP", f"{container['name']}: the probe's scheme")
    return container_port(container, g["port"]), g["path"]


def w_annotations(wname):
    """The pod template's annotations of workload wname."""
    return workloads()[wname]["spec"]["template"]["metadata"].get("annotations") or {}


def flag_value(args, flag):
    if flag in args:
        return args[args.index(flag) + 1]
    return None


def help_flags(binary):
    """The flags a program's --help names."""
    p = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=20,
                       env=dict(os.environ, SAMEN_CONFIG=os.devnull))
    return set(re.findall(r"(--[a-z][a-z-]*)", p.stdout + p.stderr))


def mounts(container):
    return {m["mountPath"]: m for m in container.get("volumeMounts", [])}


def mount_for(container, path):
    """The volumeMount of container that holds path (the deepest), or None."""
    best = None
    for mp, m in mounts(container).items():
        if path == mp or path.startswith(mp.rstrip("/") + "/"):
            if best is None or len(mp) > len(best["mountPath"]):
                best = m
    return best


def volume(spec, name, w=None):
    for v in spec.get("volumes", []):
        if v["name"] == name:
            return v
    for t in (w or {}).get("spec", {}).get("volumeClaimTemplates", []):
        if t["metadata"]["name"] == name:
            return {"name": name, "persistentVolumeClaim": t}
    return None


def init_install(spec):
    """The init container's copy: (container, source path, destination path, mode)."""
    for c in spec.get("initContainers", []):
        cmd = c["command"]
        st.eq(cmd[:2], ["sh", "-ec"], f"init container {c['name']} runs a shell command")
        words = shlex.split(cmd[2])
        if words[:1] == ["install"]:
            st.eq(words[1:3], ["-m", "0600"], f"{c['name']} copies the key mode 0600")
            return c, words[3], words[4]
    return None


def need_yaml():
    if yaml is None:
        st.skip("python3-yaml is not installed (make deps installs it: DEBS_TEST)")


# ---- the manifests on their own --------------------------------------------------
@st.test(services=[], start=False)
def every_manifest_parses_and_kustomization_lists_them(stack):
    need_yaml()
    files = manifest_files()
    st.check(len(files) >= 5, f"manifests in deploy/kubernetes: {files}")
    for path, d in [(p, d) for p in files for d in yaml.safe_load_all(open(p)) if d]:
        name = os.path.basename(path)
        st.check(d.get("apiVersion") and d.get("kind"), f"{name}: apiVersion and kind")
        if d["kind"] not in ("Namespace", "Kustomization"):
            st.eq(d["metadata"].get("namespace"), "samen", f"{name}: {d['kind']} "
                  f"{d['metadata'].get('name')} namespace")
    with open(os.path.join(K8S, "kustomization.yaml")) as f:
        k = yaml.safe_load(f)
    listed = set(k["resources"])
    present = {os.path.basename(p) for p in files} - {"kustomization.yaml"}
    st.eq(listed, present, "kustomization.yaml lists every manifest")
    st.eq(k.get("namespace"), "samen", "kustomization namespace")
    images = {c["image"] for _, _, c, _ in daemon_containers()}
    for w in workloads().values():
        spec = pod_spec(w)
        images |= {c["image"] for c in spec["containers"] + spec.get("initContainers", [])}
    st.eq({i["name"] for i in k["images"]}, images, "kustomization sets every image")


@st.test(services=[], start=False)
def probes_ask_the_daemons_ports_and_paths(stack):
    need_yaml()
    cfg = zpl(config_text())
    paths = served_paths()
    st.check({"/healthz", "/readyz"} <= paths, f"common/opsweb.c serves {paths}")
    seen = set()
    for wname, spec, c, d in daemon_containers():
        seen.add(d)
        port = setting(cfg, f"{d}/http_port")
        annotations = w_annotations(wname)
        if port is None or int(port) == 0:
            # samen-site has no health endpoint: then it must have no probes.
            for p in ("startupProbe", "livenessProbe", "readinessProbe"):
                st.check(p not in c, f"{wname}/{c['name']}: {p} on a daemon without http_port")
            st.check("prometheus.io/scrape" not in annotations,
                     f"{wname}: no metrics to scrape without http_port")
            continue
        # The kubelet's httpGet and Prometheus come to the pod's address: the
        # endpoint must be bound on every address, not loopback (the default).
        address = setting(cfg, f"{d}/http_address")
        st.check(address in ("0.0.0.0", "::"),
                 f"samen.cfg binds {d}'s health endpoint on every address ({d}/http_address "
                 f"is {address!r})")
        want = {"startupProbe": "/healthz", "livenessProbe": "/healthz",
                "readinessProbe": "/readyz"}
        for p, path in want.items():
            st.check(p in c, f"{wname}/{c['name']} has a {p}")
            pport, ppath = http_get(c, c[p])
            st.eq(pport, int(port), f"{wname} {p} port ({d}/http_port)")
            st.eq(ppath, path, f"{wname} {p} path")
            st.check(ppath in paths, f"{ppath} is served by common/opsweb.c")
        # Prometheus: the pod's annotations, and the governing Service's port.
        st.eq(annotations.get("prometheus.io/scrape"), "true", f"{wname}: prometheus.io/scrape")
        st.eq(annotations.get("prometheus.io/port"), str(port), f"{wname}: prometheus.io/port")
        st.eq(annotations.get("prometheus.io/path"), "/metrics", f"{wname}: prometheus.io/path")
        st.check("/metrics" in paths, "/metrics is served by common/opsweb.c")
        svc = objects("Service")[workloads()[wname]["spec"]["serviceName"]]
        mp = [sp for sp in svc["spec"]["ports"] if sp["name"] == "http"]
        st.check(mp, f"Service {svc['metadata']['name']} has the metrics port \"http\"")
        st.eq(mp[0]["port"], int(port), f"Service {svc['metadata']['name']} port http")
        st.eq(container_port(c, mp[0]["targetPort"]), int(port),
              f"Service {svc['metadata']['name']} port http's target ({d}/http_port)")
        st.eq(svc["spec"].get("publishNotReadyAddresses"), True,
              f"Service {svc['metadata']['name']} lists pods not ready (scraped all the same)")
    st.eq(seen, set(DAEMONS), "every daemon has a container")
    # The web server's probes: its named port, and /healthz in its nginx.conf.
    site = workloads()["samen-site"]
    web = [c for c in pod_spec(site)["containers"] if c["name"] == "web"][0]
    names = {p["name"] for p in web["ports"]}
    conf = objects("ConfigMap")["samen-site-web"]["data"]["nginx.conf"]
    for p in ("livenessProbe", "readinessProbe"):
        st.check(web[p]["httpGet"]["port"] in names, f"web {p} port is a named containerPort")
    st.check("location = /healthz" in conf, "nginx.conf answers /healthz")
    listen = re.search(r"listen (\d+);", conf)
    st.eq([p["containerPort"] for p in web["ports"]], [int(listen.group(1))],
          "web containerPort is nginx's listen")


@st.test(services=[], start=False)
def container_arguments_are_flags_the_programs_take(stack):
    need_yaml()
    for wname, spec, c, d in daemon_containers():
        binary = os.path.join(st.BIN, c["command"][0])
        st.check(os.access(binary, os.X_OK), f"{c['command'][0]} is a program ({binary})")
        flags = help_flags(binary)
        st.check("--config" in flags, f"{c['command'][0]} --help names --config")
        for a in c.get("args", []):
            if a.startswith("--"):
                st.check(a in flags, f"{wname}: {c['command'][0]} takes {a} (its --help: "
                         f"{sorted(flags)})")
        st.eq(flag_value(c["args"], "--config"), "/etc/samen/samen.cfg", f"{wname} --config")


@st.test(services=[], start=False)
def ports_services_and_endpoints_agree(stack):
    need_yaml()
    cfg = zpl(config_text())
    brokers = workloads()["samen-broker"]
    n = brokers["spec"]["replicas"]
    st.eq(n, 2, "a broker pair")
    c = pod_spec(brokers)["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    flags = {"--endpoint": "requests", "--events-in": "events-in", "--events-out": "events-out"}
    for flag, pname in flags.items():
        m = re.fullmatch(r"tcp://0\.0\.0\.0:(\d+)", flag_value(c["args"], flag) or "")
        st.check(m, f"the broker binds {flag} on every address of its pod")
        st.eq(int(m.group(1)), ports[pname], f"{flag} port is containerPort {pname}")
    services = objects("Service")
    for key, pname in (("endpoint", "requests"), ("events_in", "events-in"),
                       ("events_out", "events-out")):
        eps = cfg[f"broker/{key}"].split(",")
        st.eq(len(eps), n, f"broker/{key} lists each broker of the StatefulSet")
        for i, ep in enumerate(eps):
            m = re.fullmatch(r"tcp://([a-z0-9-]+):(\d+)", ep.strip())
            st.check(m, f"broker/{key} item {ep!r} is tcp://SERVICE:PORT")
            svc = services.get(m.group(1))
            st.check(svc, f"broker/{key}: a Service {m.group(1)}")
            sel = svc["spec"]["selector"]
            st.eq(sel.get("statefulset.kubernetes.io/pod-name"), f"samen-broker-{i}",
                  f"Service {m.group(1)} selects broker {i} alone (same order in all three)")
            for k2, v in brokers["spec"]["selector"]["matchLabels"].items():
                st.eq(sel.get(k2), v, f"Service {m.group(1)} selects the brokers' pods")
            sp = [p for p in svc["spec"]["ports"] if p["port"] == int(m.group(2))]
            st.check(sp, f"Service {m.group(1)} has port {m.group(2)} (broker/{key})")
            st.eq(sp[0]["targetPort"], pname, f"Service {m.group(1)} port {m.group(2)} target")
            st.eq(ports[pname], int(m.group(2)), f"broker/{key} port is containerPort {pname}")
    # Every Service's targetPort is a port its pods have.
    for name, svc in services.items():
        pods = [w for w in workloads().values()
                if all(w["spec"]["template"]["metadata"]["labels"].get(k) == v
                       for k, v in svc["spec"]["selector"].items()
                       if k != "statefulset.kubernetes.io/pod-name")]
        st.check(pods, f"Service {name} selects a workload's pods")
        named = {p["name"]: p["containerPort"] for w in pods
                 for c2 in pod_spec(w)["containers"] for p in c2.get("ports", [])}
        for p in svc["spec"].get("ports", []):
            t = p["targetPort"]
            st.check(t in named or t in named.values(), f"Service {name} targetPort {t}")


@st.test(services=[], start=False)
def config_paths_are_on_the_right_volumes(stack):
    need_yaml()
    cfg = zpl(config_text())
    ws = workloads()
    for wname, spec, c, d in daemon_containers():
        w = ws[wname]
        cfgm = mount_for(c, "/etc/samen/samen.cfg")
        st.check(cfgm, f"{wname}: samen.cfg is mounted")
        v = volume(spec, cfgm["name"])
        st.eq(v.get("configMap", {}).get("name"), "samen-config", f"{wname}: samen.cfg's volume")
        # Its own secret certificate: the path <daemon>/key names, on a
        # memory emptyDir the init container fills from the Secret.
        key = cfg.get(f"{d}/key")
        st.check(key, f"samen.cfg sets {d}/key")
        km = mount_for(c, key)
        st.check(km, f"{wname}: {key} is on a volume")
        kv = volume(spec, km["name"])
        st.eq(kv.get("emptyDir", {}).get("medium"), "Memory", f"{wname}: {key}'s volume")
        init = init_install(spec)
        st.check(init, f"{wname}: an init container copies the key")
        ic, src, dst = init
        st.eq(dst, key, f"{wname}: the init container writes {d}/key")
        im = mount_for(ic, dst)
        st.eq(im and im["name"], km["name"], f"{wname}: init writes the daemon's volume")
        sm = mount_for(ic, src)
        sv = volume(spec, sm["name"]) if sm else None
        st.check(sv and "secret" in sv, f"{wname}: the init container reads a Secret")
        st.eq(sv["secret"]["secretName"], f"samen-key-{d}", f"{wname}: the Secret's name")
        st.eq(os.path.basename(src), f"{d}.cert_secret", f"{wname}: the Secret's key")
        st.check(not any(volume(spec, m["name"], w).get("secret")
                         for m in c.get("volumeMounts", [])),
                 f"{wname}: the daemon's container mounts no Secret")
        if d == "broker":
            pub = os.path.join(cfg["security/keys_dir"], "public")
            pm = mount_for(c, pub)
            st.check(pm, f"{wname}: KEYS_DIR/public ({pub}) is mounted")
            st.eq(volume(spec, pm["name"]).get("configMap", {}).get("name"),
                  "samen-trusted-keys", f"{wname}: the trusted keys' volume")
        else:
            bc = cfg["security/broker_cert"]
            bm = mount_for(c, bc)
            st.check(bm, f"{wname}: security/broker_cert ({bc}) is mounted")
            st.eq(volume(spec, bm["name"]).get("configMap", {}).get("name"),
                  "samen-broker-cert", f"{wname}: the broker certificate's volume")
        writable = {"broker": [], "site": ["site/output_dir", "site/state_dir"]}.get(
            d, [f"{d}/data_dir", f"{d}/backup_dir"])
        for p in writable:
            path = cfg.get(p)
            st.check(path and path.startswith("/"), f"samen.cfg sets {p} to an absolute path")
            m = mount_for(c, path)
            st.check(m and path != m["mountPath"],
                     f"{wname}: {p} ({path}) is a directory inside a volume, not its root "
                     "(a new volume may hold lost+found)")
            st.check(not m.get("readOnly"), f"{wname}: {p}'s volume is writable")
            v = volume(spec, m["name"], w)
            st.check(v and "persistentVolumeClaim" in v,
                     f"{wname}: {p} is on a PersistentVolumeClaim, not {v}")
    # The web server serves site/output_dir/current from the site's volume.
    site = ws["samen-site"]
    web = [c for c in pod_spec(site)["containers"] if c["name"] == "web"][0]
    conf = objects("ConfigMap")["samen-site-web"]["data"]["nginx.conf"]
    root = re.search(r"root (\S+);", conf).group(1)
    st.eq(root, cfg["site/output_dir"] + "/current", "nginx's root")
    m = mount_for(web, root)
    st.check(m and m.get("readOnly"), "the web container mounts the site read-only")
    st.check("persistentVolumeClaim" in volume(pod_spec(site), m["name"], site),
             "the web container shares samen-site's volume")
    cm = mount_for(web, "/etc/samen-web/nginx.conf")
    st.eq(volume(pod_spec(site), cm["name"])["configMap"]["name"], "samen-site-web",
          "nginx.conf's volume")


@st.test(services=[], start=False)
def one_pod_per_store_security_and_resources(stack):
    need_yaml()
    ws = workloads()
    for s in SERVICES + ["site"]:
        w = ws.get(f"samen-{s}")
        st.check(w and w["kind"] == "StatefulSet", f"samen-{s} is a StatefulSet")
        st.eq(w["spec"]["replicas"], 1, f"samen-{s} replicas")
        st.check(w["spec"]["updateStrategy"]["type"] in ("RollingUpdate", "OnDelete"),
                 f"samen-{s} updateStrategy")
        st.check("maxUnavailable" not in w["spec"]["updateStrategy"].get("rollingUpdate", {}),
                 f"samen-{s}: no maxUnavailable")
        st.eq(w["spec"].get("podManagementPolicy", "OrderedReady"), "OrderedReady",
              f"samen-{s} podManagementPolicy")
        t = w["spec"]["volumeClaimTemplates"]
        st.eq(len(t), 1, f"samen-{s}: one claim")
        st.check(set(t[0]["spec"]["accessModes"]) <= {"ReadWriteOnce", "ReadWriteOncePod"},
                 f"samen-{s}: the claim is mounted by one node at most")
        st.eq(w["spec"]["persistentVolumeClaimRetentionPolicy"],
              {"whenDeleted": "Retain", "whenScaled": "Retain"}, f"samen-{s}: the store stays")
    for name, d in objects("Deployment").items():
        for v in pod_spec(d).get("volumes", []):
            st.check("persistentVolumeClaim" not in v, f"Deployment {name} mounts no claim")
    for wname, w in ws.items():
        spec = pod_spec(w)
        psc = spec["securityContext"]
        st.eq(psc.get("runAsNonRoot"), True, f"{wname} runAsNonRoot")
        st.eq(psc.get("seccompProfile"), {"type": "RuntimeDefault"}, f"{wname} seccomp")
        st.check(psc.get("runAsUser", 0) > 0 and psc.get("fsGroup"), f"{wname} user and fsGroup")
        st.eq(spec.get("automountServiceAccountToken"), False, f"{wname}: no API token")
        for c in spec["containers"] + spec.get("initContainers", []):
            sc = c["securityContext"]
            what = f"{wname}/{c['name']}"
            st.eq(sc.get("readOnlyRootFilesystem"), True, f"{what} readOnlyRootFilesystem")
            st.eq(sc.get("allowPrivilegeEscalation"), False, f"{what} allowPrivilegeEscalation")
            st.eq(sc.get("capabilities"), {"drop": ["ALL"]}, f"{what} capabilities")
            st.check(sc.get("runAsUser", psc.get("runAsUser", 0)) > 0, f"{what} runs as non-root")
            for kind in ("requests", "limits"):
                r = c.get("resources", {}).get(kind, {})
                st.check("cpu" in r and "memory" in r, f"{what} {kind} cpu and memory")
        for v in spec.get("volumes", []):
            if "secret" in v:
                # fsGroup makes a Secret's files 0440 whatever defaultMode says:
                # the init container copies them 0600 (see services' comments).
                st.eq(v["secret"].get("defaultMode"), 0o440, f"{wname} {v['name']} defaultMode")


@st.test(services=[], start=False)
def store_shell_mounts_each_services_claim(stack):
    """tools/store-shell.yaml (the restore's pod) mounts the claim each
    service's StatefulSet makes, where the service has it, with the image
    the kustomization names and the same restrictions."""
    need_yaml()
    with open(os.path.join(K8S, "tools", "store-shell.yaml")) as f:
        text = f.read()
    with open(os.path.join(K8S, "kustomization.yaml")) as f:
        images = {i["name"]: f"{i['newName']}:{i['newTag']}" for i in yaml.safe_load(f)["images"]}
    ws = workloads()
    for s in SERVICES:
        pod = yaml.safe_load(text.replace("SERVICE", s))
        w = ws[f"samen-{s}"]
        tmpl = w["spec"]["volumeClaimTemplates"][0]["metadata"]["name"]
        claims = [v for v in pod["spec"]["volumes"] if "persistentVolumeClaim" in v]
        st.eq(claims[0]["persistentVolumeClaim"]["claimName"], f"{tmpl}-samen-{s}-0",
              f"store-shell's claim for {s}")
        c = pod["spec"]["containers"][0]
        svc_c = pod_spec(w)["containers"][0]
        want = [m["mountPath"] for m in svc_c["volumeMounts"] if m["name"] == tmpl]
        got = [m["mountPath"] for m in c["volumeMounts"] if m["name"] == claims[0]["name"]]
        st.eq(got, want, f"store-shell mounts {s}'s volume where {s} has it")
        st.eq(c["image"], images["samen"], "store-shell's image")
        st.eq(pod["spec"]["securityContext"]["runAsUser"],
              pod_spec(w)["securityContext"]["runAsUser"], "store-shell's user")
        sc = c["securityContext"]
        st.check(sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"] and
                 sc["capabilities"] == {"drop": ["ALL"]}, "store-shell's restrictions")


def memory_mib(q):
    m = re.fullmatch(r"(\d+)(Mi|Gi)", q)
    st.check(m, f"memory quantity {q!r} in Mi or Gi")
    return int(m.group(1)) * (1024 if m.group(2) == "Gi" else 1)


@st.test(services=[], start=False)
def memory_requests_cover_the_bench_figures(stack):
    """make bench's "RSS idle" rows (docs/performance.md's target: < 16 MB;
    the broker measured 21.8 MB): each daemon's memory request covers what
    its comment quotes from make bench, and its limit the request."""
    need_yaml()
    for wname, spec, c, d in daemon_containers():
        req = memory_mib(c["resources"]["requests"]["memory"])
        lim = memory_mib(c["resources"]["limits"]["memory"])
        st.check(lim >= req, f"{wname}: limit {lim}Mi >= request {req}Mi")
        st.check(req >= 16, f"{wname}: request {req}Mi covers the bench target (16 MB)")
    text = "".join(open(p).read() for p in manifest_files())
    for m in re.finditer(r'make bench, "RSS idle, samen-(\w+)": ([\d.]+) MB', text):
        d, mb = m.group(1), float(m.group(2))
        c = [c for _, _, c, dd in daemon_containers() if dd == d][0]
        st.check(memory_mib(c["resources"]["requests"]["memory"]) * 1.048576 >= mb,
                 f"samen-{d}: the memory request covers the measured {mb} MB")


# ---- with kubectl (offline: kustomize, create --dry-run=client) -------------------
def kubectl():
    k = shutil.which("kubectl")
    if not k:
        st.skip("kubectl is not installed (the other tests of this suite check the manifests "
                "without it)")
    return k


@st.test(services=[], start=False)
def kustomize_builds_the_manifests(stack):
    need_yaml()
    k = kubectl()
    p = subprocess.run([k, "kustomize", K8S], capture_output=True, text=True, timeout=60)
    st.eq(p.returncode, 0, f"kubectl kustomize: {p.stderr}")
    out = [d for d in yaml.safe_load_all(p.stdout) if d]
    st.eq(len(out), len(docs()), "kustomize keeps every object")
    with open(os.path.join(K8S, "kustomization.yaml")) as f:
        images = {i["name"]: f"{i['newName']}:{i['newTag']}" for i in yaml.safe_load(f)["images"]}
    for d in out:
        if d["kind"] in ("StatefulSet", "Deployment"):
            spec = d["spec"]["template"]["spec"]
            for c in spec["containers"] + spec.get("initContainers", []):
                st.check(c["image"] in images.values(), f"kustomize set {c['name']}'s image")


@st.test(services=[], start=False)
def keys_sh_makes_the_secrets_and_configmaps_the_pods_mount(stack):
    need_yaml()
    kubectl()
    keys = os.path.join(stack.dir, "keys")
    made = subprocess.run([os.path.join(st.BIN, "samenctl"), "key", "init", "--dir", keys],
                          capture_output=True, text=True, timeout=60)
    st.eq(made.returncode, 0, f"samenctl key init: {made.stderr}")
    p = subprocess.run(["sh", os.path.join(K8S, "keys.sh"), keys], capture_output=True,
                       text=True, timeout=60)
    st.eq(p.returncode, 0, f"keys.sh: {p.stderr}")
    out = {(d["kind"], d["metadata"]["name"]): d for d in yaml.safe_load_all(p.stdout) if d}
    for d in out.values():
        st.eq(d["metadata"]["namespace"], "samen", "keys.sh's namespace")
    mounted = {}
    for wname, w in workloads().items():
        for v in pod_spec(w).get("volumes", []):
            if "secret" in v:
                mounted[("Secret", v["secret"]["secretName"])] = wname
            elif "configMap" in v and v["configMap"]["name"] not in objects("ConfigMap"):
                mounted[("ConfigMap", v["configMap"]["name"])] = wname
    st.eq(set(out), set(mounted), "keys.sh makes exactly what the pods mount")
    for wname, spec, c, d in daemon_containers():
        ic, src, dst = init_install(spec)
        data = out[("Secret", f"samen-key-{d}")]["data"]
        st.eq(list(data), [os.path.basename(src)], f"Secret samen-key-{d}'s key")
    st.eq(set(out[("ConfigMap", "samen-broker-cert")]["data"]), {"broker.cert"},
          "samen-broker-cert")
    st.eq(set(out[("ConfigMap", "samen-trusted-keys")]["data"]),
          set(os.listdir(os.path.join(keys, "public"))), "samen-trusted-keys: public/*")
    st.check(not any("admin" in k for (_, n), d in out.items() if n.startswith("samen-key")
                     for k in d["data"]), "the admin key stays out of the cluster")


# ---- the pods, laid out under a directory, started --------------------------------
class Pods:
    """The pods' file systems under one directory (their paths do not collide),
    filled as the kubelet would, and the daemons started from them."""

    def __init__(self, stack):
        self.stack = stack
        self.root = os.path.join(stack.dir, "pods")
        self.keys = os.path.join(stack.dir, "keysrc")
        made = subprocess.run([os.path.join(st.BIN, "samenctl"), "key", "init", "--dir",
                               self.keys], capture_output=True, text=True, timeout=60)
        st.eq(made.returncode, 0, f"samenctl key init: {made.stderr}")
        self.cfg = zpl(config_text())
        # Every port of the manifests, per broker (each has a network of its
        # own there), onto a free loopback port.
        self.ports = {}

    def port(self, pod, port):
        return self.ports.setdefault((pod, int(port)), st.free_port())

    def path(self, p):
        """Where a pod's absolute path p lies here. The image's own files
        (/usr/share/samen: the mail templates) are the tree's share/samen."""
        if p.startswith("/usr/share/samen/"):
            return os.path.join(ROOT, "share", "samen", p[len("/usr/share/samen/"):])
        return self.root + p

    def config(self):
        """samen.cfg with its paths moved under the root, the brokers'
        Services and the health ports onto loopback ports, and the health
        endpoints' address (0.0.0.0 in the pods) onto 127.0.0.1: the tests
        bind loopback only."""
        text = config_text()
        text = re.sub(r'"(/[^"]*)"', lambda m: '"' + self.path(m.group(1)) + '"', text)
        text = re.sub(r"tcp://samen-broker-(\d+):(\d+)",
                      lambda m: f"tcp://127.0.0.1:{self.port('samen-broker-' + m.group(1), m.group(2))}",
                      text)
        text = re.sub(r"(\n\s*http_port = )(\d+)",
                      lambda m: m.group(1) + str(self.port("health", m.group(2))), text)
        text, n = re.subn(r'(\n\s*http_address = )"(0\.0\.0\.0|::)"', r'\1"127.0.0.1"', text)
        st.check(n >= 1, "the ConfigMap's http_address moved onto loopback")
        st.check("0.0.0.0" not in text and '"::"' not in text,
                 f"nothing in the test's samen.cfg binds every address:\n{text}")
        return text

    def volume_data(self, v):
        """{file: (bytes, mode)} a ConfigMap or Secret volume holds."""
        def read(p):
            with open(p, "rb") as f:
                return f.read()
        if "configMap" in v:
            name = v["configMap"]["name"]
            if name == "samen-config":
                return {"samen.cfg": (self.config().encode(), 0o644)}
            if name == "samen-broker-cert":
                return {"broker.cert": (read(os.path.join(self.keys, "broker.cert")), 0o644)}
            if name == "samen-trusted-keys":
                pub = os.path.join(self.keys, "public")
                return {f: (read(os.path.join(pub, f)), 0o644) for f in os.listdir(pub)}
            cm = objects("ConfigMap")[name]["data"]
            return {k: (t.encode(), 0o644) for k, t in cm.items()}
        if "secret" in v:
            name = v["secret"]["secretName"]
            st.check(name.startswith("samen-key-"), f"Secret {name}")
            d = name[len("samen-key-"):]
            src = os.path.join(self.keys, "broker.cert_secret" if d == "broker"
                               else os.path.join("secret", f"{d}.cert_secret"))
            # What the kubelet makes of defaultMode with fsGroup set: 0440.
            return {f"{d}.cert_secret": (read(src), v["secret"]["defaultMode"] | 0o440)}
        return {}

    def lay_out(self, wname):
        """Fill wname's volumes at their mount paths and run its init containers."""
        w = workloads()[wname]
        spec = pod_spec(w)
        for c in spec.get("initContainers", []) + spec["containers"]:
            for m in c.get("volumeMounts", []):
                v = volume(spec, m["name"], w)
                st.check(v, f"{wname}: volume {m['name']} is defined")
                dst = self.path(m["mountPath"])
                os.makedirs(dst, exist_ok=True)
                for f, (data, mode) in self.volume_data(v).items():
                    p = os.path.join(dst, f)
                    with open(p, "wb") as fh:
                        fh.write(data)
                    os.chmod(p, mode)
        for c in spec.get("initContainers", []):
            script = re.sub(r"(?<![\w.])(/[\w./-]+)", lambda m: self.path(m.group(1)),
                            c["command"][2])
            p = subprocess.run(c["command"][:2] + [script], capture_output=True, text=True,
                               timeout=30)
            st.eq(p.returncode, 0, f"{wname} init container {c['name']}: {p.stderr}")

    def start(self, name, container, pod, extra=()):
        """Start a container's daemon with its arguments (paths under the
        root; the broker's bind ports onto this pod's loopback ports)."""
        args = []
        for a in container.get("args", []):
            if a.startswith("/"):
                a = self.path(a)
            m = re.fullmatch(r"tcp://0\.0\.0\.0:(\d+)", a)
            if m:
                a = f"tcp://127.0.0.1:{self.port(pod, m.group(1))}"
            args.append(a)
        log = open(os.path.join(self.stack.dir, f"{name}.log"), "ab")
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=0",
                   UBSAN_OPTIONS="print_stacktrace=1", SAMEN_CONFIG=os.devnull)
        p = subprocess.Popen([os.path.join(st.BIN, container["command"][0]), *args, *extra],
                             stdout=log, stderr=log, env=env, cwd=self.stack.dir)
        log.close()
        self.stack.procs[name] = p
        return p

    def probe(self, container, probe, health_pod="health"):
        """Make an httpGet probe's request of the daemon here (its port moved
        onto loopback, where the config binds it): the HTTP status."""
        port, path = http_get(container, probe)
        url = f"http://127.0.0.1:{self.port(health_pod, port)}{path}"
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code
        except OSError:
            return None


@st.test(services=[], start=False)
def daemons_start_from_the_manifests_and_answer_their_probes(stack):
    need_yaml()
    pods = Pods(stack)
    ws = workloads()
    for wname in ws:
        pods.lay_out(wname)
    cfg_path = pods.path("/etc/samen/samen.cfg")
    # Without the init container's copy the daemon would refuse the Secret's
    # file as Kubernetes gives it (0440 with fsGroup): that is why it is there.
    raw = os.path.join(pods.path("/run/samen/secret-src"), "intake.cert_secret")
    st.eq(stat.S_IMODE(os.stat(raw).st_mode), 0o440, "the Secret's file as the kubelet leaves it")
    p = subprocess.run([os.path.join(st.BIN, "samen-intake"), "--config", cfg_path, "--key", raw,
                        "--locale", "en"],
                       capture_output=True, text=True, timeout=30, cwd=stack.dir,
                       env=dict(os.environ, SAMEN_CONFIG=os.devnull))
    st.eq(p.returncode, 2, f"samen-intake with the Secret's 0440 file: {p.stderr}")
    st.check("readable by group" in p.stderr, f"the refusal says why: {p.stderr}")
    # The broker pair: one config, each pod binding its own ports (here on
    # one host, so the second gets a health port of its own too).
    bc = pod_spec(ws["samen-broker"])["containers"][0]
    for i in range(ws["samen-broker"]["spec"]["replicas"]):
        extra = () if i == 0 else ("--http-port", str(pods.port("samen-broker-1", 9560)))
        pods.start(f"broker{i}", bc, f"samen-broker-{i}", extra)
    for wname, spec, c, d in daemon_containers():
        if d != "broker":
            pods.start(d, c, wname)

    def status(name, c, probe, pod="health"):
        if stack.procs[name].poll() is not None:
            raise st.Failure(f"{name} exited with {stack.procs[name].returncode}:\n"
                             + stack.log(name)[-2000:])
        return pods.probe(c, c[probe], pod)

    for wname, spec, c, d in daemon_containers():
        if d == "site":
            continue
        names = [f"broker{i}" for i in range(2)] if d == "broker" else [d]
        for i, name in enumerate(names):
            pod = "samen-broker-1" if name == "broker1" else "health"
            for probe, want in (("startupProbe", 200), ("livenessProbe", 200),
                                ("readinessProbe", 200)):
                st.wait_until(lambda: status(name, c, probe, pod) == want, 30,
                              f"{name}'s {probe} ({http_get(c, c[probe])[1]}) to answer {want}")
            # Here on loopback only (the ConfigMap's 0.0.0.0 moved), so no
            # warning about the network.
            log = stack.log(name)
            st.check("health and metrics served" in log and
                     "listen=http://127.0.0.1:" in log and
                     "reachable from the network" not in log,
                     f"{name} serves its health endpoint on loopback: {log[-1500:]}")
    # samenctl through the pair, with the admin key that stays outside.
    admin = os.path.join(pods.keys, "secret", "admin.cert_secret")
    rc = None
    end = time.monotonic() + 30
    while time.monotonic() < end:
        r = subprocess.run([os.path.join(st.BIN, "samenctl"), "--config", cfg_path, "--key",
                            admin, "status"], capture_output=True, text=True, timeout=60,
                           env=dict(os.environ, SAMEN_CONFIG=os.devnull))
        rc = r.returncode
        if rc == 0:
            break
        time.sleep(0.5)
    st.eq(rc, 0, f"samenctl status through the pair: {r.stdout}{r.stderr}")
    # samen-site builds where nginx's root points.
    root = re.search(r"root (\S+);",
                     objects("ConfigMap")["samen-site-web"]["data"]["nginx.conf"]).group(1)
    index = os.path.join(pods.path(root), "index.html")
    st.wait_until(lambda: os.path.exists(index) or stack.procs["site"].poll() is not None, 30,
                  f"samen-site to build {index}")
    st.check(os.path.exists(index), f"samen-site built {index}:\n" + stack.log("site")[-2000:])
    # Every daemon's store and backups land in its volume's directory.
    for s in SERVICES:
        st.check(os.path.exists(os.path.join(pods.path(pods.cfg[f"{s}/data_dir"]), "data.mdb")),
                 f"{s}'s store is in {pods.cfg[f'{s}/data_dir']}")


# ---- the Containerfile -------------------------------------------------------------
def makefile_var(name):
    with open(os.path.join(ROOT, "Makefile")) as f:
        text = f.read().replace("\\\n", " ")
    m = re.search(rf"^{name}\s*[:?]?=\s*(.*)$", text, re.M)
    return m.group(1).split()


def stages():
    """{stage name: [instruction lines]} of the Containerfile (continuations joined)."""
    with open(CONTAINERFILE) as f:
        text = f.read()
    lines = [l for l in text.replace("\\\n", " ").splitlines()
             if l.strip() and not l.lstrip().startswith("#")]
    out, cur = {}, None
    for l in lines:
        m = re.match(r"FROM\s+\S+\s+AS\s+(\S+)", l, re.I)
        if m:
            cur = m.group(1)
            out[cur] = [l]
        elif cur:
            out[cur].append(l)
    return out


def installed(stage):
    """The packages a stage's apt-get install lines name."""
    pkgs = []
    for l in stage:
        for part in re.split(r"&&|;", l):
            m = re.search(r"apt-get install (.*)", part)
            if m:
                pkgs += [w for w in m.group(1).split() if not w.startswith("-")]
    return pkgs


@st.test(services=[], start=False)
def containerfile_build_stage_installs_debs_build(stack):
    s = stages()
    st.check({"build", "runtime", "web"} <= set(s), f"stages build, runtime, web: {list(s)}")
    missing = set(makefile_var("DEBS_BUILD")) - set(installed(s["build"]))
    st.eq(missing, set(), "DEBS_BUILD packages the build stage does not install")
    build = " ".join(s["build"])
    st.check(re.search(r"make MODE=release PREFIX=/usr .*programs", build),
             "the build stage makes the release programs with PREFIX=/usr")
    st.check("DESTDIR=/staging install" in build, "the build stage installs into /staging")
    for l in s["build"] + s["runtime"] + s["web"]:
        st.check(not re.match(r"FROM\s+(?!docker\.io/library/debian:12)", l),
                 f"every stage is Debian 12: {l}")
    # Every COPY source exists in the tree; the runtime's comes from /staging.
    for l in s["build"]:
        m = re.match(r"COPY\s+(?!--)(.*)", l)
        if m:
            for src in m.group(1).split()[:-1]:
                st.check(os.path.exists(os.path.join(ROOT, src)), f"COPY source {src} exists")
    st.check(any(re.match(r"COPY --from=build /staging/usr/ /usr/", l) for l in s["runtime"]),
             "the runtime stage copies the installed tree")
    # Built with PREFIX=/usr, the mail templates are where samen.cfg says.
    st.check("$(PREFIX)/share/samen/mail" in " ".join(makefile_var("MAILDIR")),
             "the Makefile's MAILDIR")
    st.eq(zpl(config_text()).get("intake/mail/templates") if yaml else "/usr/share/samen/mail",
          "/usr/share/samen/mail", "intake/mail/templates in the image")
    with open(os.path.join(ROOT, ".dockerignore")) as f:
        st.check("build" in f.read().split(), ".dockerignore keeps build/ out of the context")


@st.test(services=[], start=False)
def containerfile_runtime_has_every_library_the_programs_link(stack):
    progs = sorted(glob.glob(os.path.join(RELEASE, "samen-*"))) + \
        glob.glob(os.path.join(RELEASE, "samenctl"))
    progs = [p for p in progs if os.access(p, os.X_OK) and not p.endswith((".o", ".d", ".a"))]
    if not progs or not shutil.which("dpkg"):
        st.skip("no release build in build/release (make MODE=release programs) or no dpkg")
    runtime = set(installed(stages()["runtime"]))

    links = []  # (program, library name, path)
    for prog in progs:
        ldd = subprocess.run(["ldd", prog], capture_output=True, text=True).stdout
        links += [(prog, n, path) for n, path in re.findall(r"^\s*(\S+) => (/\S+)", ldd, re.M)]

    def candidates(path):
        cands = [path, os.path.realpath(path)]
        return cands + ["/usr" + c for c in cands if not c.startswith("/usr/")]

    # One dpkg -S for every library (it takes a fraction of a second a call).
    paths = sorted({c for _, _, path in links for c in candidates(path)})
    owners = {}
    out = subprocess.run(["dpkg", "-S", *paths], capture_output=True, text=True).stdout
    for line in out.splitlines():
        pkgs, _, path = line.partition(": ")
        owners[path.strip()] = pkgs.split(",")[0].split(":")[0].strip()

    def package_of(path):
        for c in candidates(path):
            if c in owners:
                return owners[c]
        raise st.Failure(f"no Debian package holds {path}")

    def closure_of(pkgs):
        """pkgs and what they depend on, recursively, as installed here."""
        if not shutil.which("apt-cache"):
            return set(pkgs)
        p = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends",
                            "--no-suggests", "--no-conflicts", "--no-breaks", "--no-replaces",
                            "--no-enhances", "--installed", *sorted(pkgs)],
                           capture_output=True, text=True, timeout=120)
        return set(pkgs) | {l.strip().split(":")[0] for l in p.stdout.splitlines()
                            if l and not l.startswith((" ", "<"))}

    # What debian:12-slim holds before anything is installed: the Essential
    # packages and apt, with their dependencies (libc6, libgcc-s1, ...).
    q = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Essential}\n"],
                       capture_output=True, text=True)
    base = closure_of([l.split()[0] for l in q.stdout.splitlines() if l.endswith(" yes")] +
                      ["apt"])
    closure = closure_of(runtime) | base
    direct = {}
    for prog in progs:
        needed = subprocess.run(["objdump", "-p", prog], capture_output=True, text=True).stdout
        direct[prog] = set(re.findall(r"NEEDED\s+(\S+)", needed))
    for prog, name, path in links:
        pkg = package_of(path)
        what = f"{os.path.basename(prog)} links {name} ({pkg})"
        if name in direct[prog]:
            st.check(pkg in runtime or pkg in base, f"{what}: the runtime stage installs {pkg}")
        else:
            st.check(pkg in closure, f"{what}: {pkg} comes with the runtime stage's packages")


@st.test(services=[], start=False)
def no_probe_runs_a_program_in_the_container_and_the_image_has_no_curl(stack):
    """The kubelet asks /healthz and /readyz itself (httpGet): curl, once the
    exec probes' client, is left out of the runtime image."""
    need_yaml()
    for wname, spec, c, d in daemon_containers():
        for p in ("startupProbe", "livenessProbe", "readinessProbe"):
            st.check("exec" not in c.get(p, {}), f"{wname} {p} runs nothing in the container")
    st.check("curl" not in installed(stages()["runtime"]),
             "the runtime stage leaves curl out (no probe runs it)")


@st.test(services=[], start=False)
def containerfile_users_are_the_manifests_users(stack):
    need_yaml()
    s = stages()

    def user(stage):
        us = [l.split()[1] for l in s[stage] if l.startswith("USER ")]
        st.eq(len(us), 1, f"one USER in stage {stage}")
        return int(us[0].split(":")[0])

    rt, web = user("runtime"), user("web")
    for wname, w in workloads().items():
        spec = pod_spec(w)
        for c in spec["containers"] + spec.get("initContainers", []):
            uid = c.get("securityContext", {}).get("runAsUser",
                                                    spec["securityContext"]["runAsUser"])
            want = web if c["image"] == "samen-web" else rt
            st.eq(uid, want, f"{wname}/{c['name']} runs as the image's user")
    cmd = [l for l in s["web"] if l.startswith("CMD")][0]
    site = workloads()["samen-site"]
    webc = [c for c in pod_spec(site)["containers"] if c["name"] == "web"][0]
    conf = re.search(r'"-c", "([^"]+)"', cmd).group(1)
    st.check(mount_for(webc, conf), f"the web image's {conf} is mounted")


if __name__ == "__main__":
    st.main()
