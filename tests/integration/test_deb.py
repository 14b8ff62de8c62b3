#!/usr/bin/python3
"""The Debian package: built from the tree with `make deb`, installed with
dpkg, and the stack started from what it installed.

Installing a package changes the machine, so this suite runs only as root
(CI runs as root) and otherwise prints why it skipped. It removes the
package (dpkg --purge) when it is done.
"""
import glob
import os
import pwd
import re
import shutil
import subprocess

import samentest as st

ROOT = st.ROOT
DAEMONS = ["broker", "intake", "scheduling", "reporting", "finance", "site"]


def sh(*cmd, timeout=120, check=True, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and p.returncode != 0:
        raise st.Failure(f"{' '.join(cmd)} exited {p.returncode}:\n{p.stdout[-2000:]}\n"
                         f"{p.stderr[-2000:]}")
    return p


def skip_reason():
    if os.geteuid() != 0:
        return "installing a .deb needs root (CI runs as root)"
    for tool in ("dpkg-buildpackage", "dpkg", "systemd-analyze", "systemd-sysusers"):
        if not shutil.which(tool):
            return f"{tool} is not installed"
    if sh("dpkg-query", "-W", "-f=${Status}", "samen", check=False).stdout.startswith("install ok"):
        return "a samen package is already installed on this machine; not touching it"
    return None


class Installed:
    """Build and install the package once for the suite; purge at the end."""
    deb = None

    @classmethod
    def get(cls):
        if cls.deb is None:
            sh("make", "--no-print-directory", "deb", cwd=ROOT, timeout=1500)
            debs = [d for d in glob.glob(os.path.join(ROOT, "build", "deb", "samen_*.deb"))]
            st.eq(len(debs), 1, "one samen .deb built")
            cls.deb = debs[0]
            sh("dpkg", "-i", cls.deb, timeout=300)
        return cls.deb

    @classmethod
    def purge(cls):
        if cls.deb is not None:
            sh("dpkg", "--purge", "samen", check=False, timeout=300)


@st.test(start=False)
def the_package_installs_binaries_units_user_and_config_where_debian_expects(stack):
    Installed.get()
    for d in DAEMONS:
        st.check(os.access(f"/usr/bin/samen-{d}", os.X_OK), f"/usr/bin/samen-{d}")
    st.check(os.access("/usr/bin/samenctl", os.X_OK), "/usr/bin/samenctl")
    for kind in ("invitation", "confirmation", "report", "newsletter"):
        for ext in ("txt", "html"):
            st.check(os.path.exists(f"/usr/share/samen/mail/nl/{kind}.{ext}"),
                     f"the mail template nl/{kind}.{ext} is installed")
    user = pwd.getpwnam("samen")
    st.check(user.pw_uid < 1000, f"samen is a system user (uid {user.pw_uid})")
    st.eq(user.pw_shell, "/usr/sbin/nologin", "samen has no login shell")
    b = os.stat("/var/backups/samen")
    st.eq((b.st_uid, oct(b.st_mode & 0o777)), (user.pw_uid, "0o750"),
          "/var/backups/samen belongs to samen")
    conffiles = sh("dpkg-query", "--control-show", "samen", "conffiles").stdout.split()
    st.check("/etc/samen/samen.cfg" in conffiles, f"samen.cfg is a conffile: {conffiles}")
    for d in DAEMONS:
        unit = f"/lib/systemd/system/samen-{d}.service"
        with open(unit) as f:
            text = f.read()
        exec_start = re.search(r"^ExecStart=(\S+)", text, re.M).group(1)
        st.eq(exec_start, f"/usr/bin/samen-{d}", f"{unit} runs the installed binary")
        st.check("/usr/local" not in text, f"{unit} names no /usr/local path")
        st.check("RestartPreventExitStatus=2" in text, f"{unit}: a bad config is not restarted")
        # samen-site builds pages on a timer; it does not (yet) speak sd_notify.
        st.check(d == "site" or ("Type=notify" in text and "WatchdogSec=" in text),
                 f"{unit}: systemd hears READY=1 and the loop's watchdog")
        st.check(os.path.exists(f"/etc/systemd/system/multi-user.target.wants/samen-{d}.service"),
                 f"samen-{d} is enabled")
    with open("/lib/systemd/system/samen-broker.service") as f:
        st.check("After=network-online.target" in f.read(), "the broker waits for the network")


@st.test(start=False)
def every_unit_is_rated_at_most_2_by_systemd_analyze_security(stack):
    Installed.get()
    for d in DAEMONS:
        out = sh("systemd-analyze", "security", "--offline=true",
                 f"/lib/systemd/system/samen-{d}.service", check=False).stdout
        m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", out)
        st.check(m, f"samen-{d}: no rating in {out[-300:]!r}")
        st.check(float(m.group(1)) <= 2.0, f"samen-{d} exposure {m.group(1)} (at most 2.0)")


@st.test(start=False)
def the_installed_config_is_valid_and_the_stack_runs_from_the_installed_binaries(stack):
    Installed.get()
    # The shipped config is checked against the settings table by the unit
    # tests (deploy/samen.system.cfg); here: it is the file that was installed.
    with open("/etc/samen/samen.cfg") as f, \
            open(os.path.join(ROOT, "deploy", "samen.system.cfg")) as g:
        st.eq(f.read(), g.read(), "/etc/samen/samen.cfg is deploy/samen.system.cfg")
    # The whole stack from /usr/bin, on this test's private endpoints.
    built = st.BIN
    st.BIN = "/usr/bin"  # Stack.binary and Stack.ctl read it at call time
    try:
        stack.up()
        for svc in st.ALL:
            st.eq(stack.mmi(svc), "200", f"installed samen-{svc} registered")
        r = stack.ok("finance", "municipality.add",
                     {"name": "Huizen", "code": "GM0406", "inhabitants": 41389,
                      "as_of": "2016-01-01"}, rid="deb-1")
        st.eq(r["code"], "GM0406", "a write through the installed stack")
        rc, out, err = stack.ctl("status")
        st.eq(rc, 0, f"the installed samenctl sees every service up:\n{out}{err}")
        # The Dutch catalogue is found where the package put it.
        st.check(os.path.exists("/usr/share/locale/nl/LC_MESSAGES/samen.mo"),
                 "the Dutch catalogue is installed")
        rc, out, err = stack.ctl("--locale", "nl", "agenda", "grid",
                                 "--from", "2019-10", "--to", "2019-11")
        st.eq(rc, 0, f"agenda grid from the installed stack:\n{out}{err}")
        st.check("Onderwerp" in out and "Okt 19" in out,
                 f"the installed scheduling service speaks Dutch:\n{out}")
    finally:
        st.BIN = built


if __name__ == "__main__":
    reason = skip_reason()
    if reason:
        st.skip_suite(reason)
    try:
        st.main()
    finally:
        Installed.purge()
