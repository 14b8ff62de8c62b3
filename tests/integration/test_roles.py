#!/usr/bin/python3
"""The role matrix, through the real broker with real keys.

For every op of every service (read from the declarations the services
return in service.info, so a new op is covered without touching this file),
one role the declaration allows is let through to the op (whatever the op
then says of the empty arguments, it is not permission_denied) and one role
it does not allow is refused with permission_denied naming the op, before
any handler runs. A declaration without a role would stop the service from
starting at all (tests/unit and svc_bind_ops), so every op is covered.

Personal fields: the same participant read with a coordinator key and with
a finance or auditor key: the second gets the record without them.
"""
import samentest as st

# The key of each role: tests/lib/samentest.py's KEY_ROLES read backwards
# (every key there holds one role).
KEY_OF_ROLE = {roles: name for name, roles in st.KEY_ROLES.items() if "," not in roles}
# People first: a refusal is most telling for a person's key.
ORDER = ["coordinator", "finance", "auditor", "subscriber", "admin", "service:intake",
         "service:scheduling", "service:reporting", "service:finance", "service:site"]


def declarations(stack, svc):
    return stack.ok(svc, "service.info")["declarations"]


def pick(roles, allowed):
    for r in ORDER:
        if (r in roles) == allowed and r in KEY_OF_ROLE:
            return r
    return None


@st.test()
def every_op_lets_one_allowed_role_through_and_refuses_one_other(stack):
    clients = {}

    def as_role(role):
        if role not in clients:
            clients[role] = stack.client_as(KEY_OF_ROLE[role])
        return clients[role]

    checked = refused = 0
    for svc in st.ALL:
        decls = declarations(stack, svc)
        st.check(len(decls) > 4, f"{svc} declares its ops")
        for d in decls:
            st.check(d["roles"], f"{svc} {d['name']} declares who may call it")
            # Reading the roles of a write with empty args is harmless: the
            # arguments are checked after the roles and refused.
            ok_role = pick(d["roles"], True)
            st.check(ok_role, f"{svc} {d['name']}: a key with one of {d['roles']}")
            if d["name"] == "store.backup":
                args = {"name": "role-matrix"}
            else:
                args = {}
            r = as_role(ok_role).call(svc, d["name"], args, rid=f"rm-{svc}-{d['name']}-ok",
                                      timeout=15)
            code = None if r["ok"] else r["error"]["code"]
            st.check(code != "permission_denied",
                     f"{svc} {d['name']} refused {ok_role}, which it allows: {r}")
            checked += 1
            no_role = pick(d["roles"], False)
            if not no_role:
                continue  # every role may call it (service.info, events.read)
            r = as_role(no_role).call(svc, d["name"], args, rid=f"rm-{svc}-{d['name']}-no",
                                      timeout=15)
            st.check(not r["ok"] and r["error"]["code"] == "permission_denied",
                     f"{svc} {d['name']} let {no_role} through: {r}")
            st.check(d["name"] in r["error"]["message"], f"the refusal names the op: {r}")
            refused += 1
    st.check(checked > 100 and refused > 80, f"{checked} ops checked, {refused} refusals")
    for c in clients.values():
        c.close()


@st.test(services=["finance", "intake"])
def personal_fields_are_shown_only_to_the_roles_declared_for_them(stack):
    stack.ok("finance", "municipality.add", {"name": "Huizen", "code": "GM0406",
                                             "inhabitants": 41389, "as_of": "2016-01-01"},
             rid="m1")
    st.wait_until(lambda: stack.ok("intake", "service.info")["following"].get("finance", 0) >= 1,
                  10.0, "intake to know Huizen")
    stack.ok("intake", "participant.register",
             {"name": "Canary Vogelaar", "email": "canary@example.org", "phone": "0612345678",
              "municipality": "Huizen", "consent": True}, rid="p1")
    coordinator = stack.client_as("coordinator").call("intake", "participant.get",
                                                      {"participant": "P1"})
    st.eq(coordinator["data"]["name"], "Canary Vogelaar", "the coordinator sees the name")
    for key in ("finance-staff", "auditor"):
        r = stack.client_as(key).call("intake", "participant.get", {"participant": "P1"})
        st.check(r["ok"], f"{key} may read the record: {r}")
        for f in ("name", "email", "phone", "postal_code", "birth_year"):
            st.eq(r["data"][f], None, f"{key} does not see {f}")
        st.eq(r["data"]["municipality"], "GM0406", f"{key} sees the municipality")
        found = stack.client_as(key).call("intake", "participant.find",
                                          {"name": "canary"})
        st.eq(found["error"]["code"], "permission_denied", f"{key} cannot find by name")
    audit = stack.ok("intake", "audit.list", {"id": "P1"})["entries"]
    st.check(any(e["op"] == "participant.get" and e["key"] == "coordinator" for e in audit),
             f"the coordinator's read of P1 is on record: {audit}")


if __name__ == "__main__":
    st.main()
