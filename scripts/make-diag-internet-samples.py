#!/usr/bin/env python3
"""make-diag-internet-samples.py - write the samples of what the internet
sends a PBX, and of registrations told apart by address of record:

  diag-scanner-sweep.pcap      a scanner (User-Agent friendly-scanner) sweeping
                               a chan_sip box: OPTIONS, then INVITEs to three
                               numbers, each on its own Call-ID
  diag-password-guessing.pcap  one public source guessing passwords of a PJSIP
                               box: user 1154 challenged four times in 60 ms,
                               then users 1155 and 1156 (no scanner User-Agent:
                               the pace alone tells)
  diag-password-guessed.pcap   the same guesser on user 1154, its fourth
                               retry accepted
  diag-forged-invite.pcap      a hand-made INVITE as attack tools write it (Via
                               without branch, From without tag, request-URI
                               sip:@127.0.0.1, Contact sip:127.0.0.1), and the
                               phone ringing for it
  diag-register-new-callid.pcap  a phone that registers, refreshes, then
                               restarts: a new Call-ID and a new Contact for the
                               same AoR
  diag-register-shared-callid.pcap  one client registering three accounts on
                               one Call-ID (as a provider's test client did):
                               each REGISTER belongs to its own To

Same conventions as make-diag-field-samples.py (whose helpers this uses):
fixed timestamps, the same bytes on every run, documentation addresses for the
internet (203.0.113.0/24), RFC 1918 for the LAN.

Usage: scripts/make-diag-internet-samples.py [OUTDIR]   (default: samples/)
"""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
_spec = importlib.util.spec_from_file_location("field", os.path.join(HERE, "make-diag-field-samples.py"))
field = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(field)

from make_synthetic_samples import Capture  # noqa: E402

Net, headers, request, answer, sdp, digest, save = (
    field.Net, field.headers, field.request, field.answer, field.sdp, field.digest, field.save)


def scanner_sweep():
    """203.0.113.66 (friendly-scanner) probes a chan_sip Asterisk at
    10.6.0.1: OPTIONS answered 200, INVITEs to 100, 101 and 102 answered 401
    (alwaysauthreject: the same answer for every name), each ACKed."""
    cap = Capture()
    net = Net(cap)
    scan, pbx = ("203.0.113.66", 5070), ("10.6.0.1", 5060)
    server = "Server: Asterisk PBX 11.25.3"
    ua = "User-Agent: friendly-scanner"
    opt = headers("OPTIONS", 1, "sweep-opt@203.0.113.66",
                  ["SIP/2.0/UDP 203.0.113.66:5070;branch=z9hG4bK-sweep-0"],
                  '"sipvicious" <sip:100@1.1.1.1>;tag=sw-0', "<sip:100@10.6.0.1>",
                  "<sip:100@203.0.113.66:5070>", [ua, "Accept: application/sdp"])
    net.send(scan, pbx, request("OPTIONS", "sip:100@10.6.0.1", opt))
    net.send(pbx, scan, answer(200, "OK", opt, "as00000001",
                               [server, "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE"]))
    for n, ext in enumerate(("100", "101", "102"), start=1):
        cap.wait(40)
        cid = f"sweep-{ext}@203.0.113.66"
        frm = f'"{ext}" <sip:{ext}@10.6.0.1>;tag=sw-{ext}'
        to = f"<sip:{ext}@10.6.0.1>"
        via = f"SIP/2.0/UDP 203.0.113.66:5070;branch=z9hG4bK-sweep-{n}"
        inv = headers("INVITE", 1, cid, [via], frm, to, f"<sip:{ext}@203.0.113.66:5070>", [ua])
        net.send(scan, pbx, request("INVITE", f"sip:{ext}@10.6.0.1", inv, sdp("203.0.113.66", 6000 + n)))
        net.send(pbx, scan, answer(100, "Trying", inv, None, [server]))
        chal = f'WWW-Authenticate: Digest algorithm=MD5, realm="asterisk", nonce="5a1b2c3{n}"'
        net.send(pbx, scan, answer(401, "Unauthorized", inv, f"as0000010{n}", [server, chal]))
        ack = headers("ACK", 1, cid, [via], frm, to + f";tag=as0000010{n}", None, [ua])
        net.send(scan, pbx, request("ACK", f"sip:{ext}@10.6.0.1", ack))
    save("diag-scanner-sweep.pcap", cap)


def password_guessing():
    """203.0.113.99 guesses passwords of a PJSIP Asterisk 18 at 10.6.0.2:
    user 1154 on one Call-ID, REGISTER -> 401 and three retries with
    credentials, each 401 again, all within 60 ms; then 1155 and 1156, one
    Call-ID each, REGISTER -> 401 -> REGISTER with credentials -> 401.
    Before it, a LAN phone (10.6.0.30, user 1001) registers the normal way:
    401, then 200 (not guessing)."""
    cap = Capture()
    net = Net(cap)
    pbx = ("10.6.0.2", 5060)
    server = "Server: Asterisk PBX 18.20.0"
    realm = "asterisk"

    def challenge(nonce):
        return (f'WWW-Authenticate: Digest realm="{realm}", nonce="{nonce}", opaque="0a1b", '
                f'algorithm=md5, qop="auth"')

    def register(src, user, cid, cseq, tag, nonce=None, extra=()):
        host, port = src
        via = f"SIP/2.0/UDP {host}:{port};rport;branch=z9hG4bKPj-g{tag}-{cseq}"
        h = ["Expires: 3600"] + list(extra)
        if nonce:
            h.append("Authorization: " + digest(user, realm, nonce, "sip:10.6.0.2",
                                                f', qop=auth, nc=0000000{cseq}, cnonce="c{cseq}", opaque="0a1b"'))
        reg = headers("REGISTER", cseq, cid, [via], f"<sip:{user}@10.6.0.2>;tag=g{tag}",
                      f"<sip:{user}@10.6.0.2>", f"<sip:{user}@{host}:{port}>", h)
        net.send(src, pbx, request("REGISTER", "sip:10.6.0.2", reg), dt_us=300)
        return reg

    # the LAN phone: challenge answered, bound
    phone = ("10.6.0.30", 5060)
    reg = register(phone, "1001", "lan-1001@10.6.0.30", 1, "lan", extra=["User-Agent: Yealink SIP-T46S"])
    net.send(pbx, phone, answer(401, "Unauthorized", reg, "pj-lan1", [server, challenge("n-lan")]))
    reg = register(phone, "1001", "lan-1001@10.6.0.30", 2, "lan", "n-lan", ["User-Agent: Yealink SIP-T46S"])
    net.send(pbx, phone, answer(200, "OK", reg, "pj-lan2",
                                [server, "Contact: <sip:1001@10.6.0.30:5060>;expires=3600"]))
    cap.wait(5000)
    # the guesser
    src = ("203.0.113.99", 5062)
    cid = "guess-1154@203.0.113.99"
    reg = register(src, "1154", cid, 1, "1154")
    net.send(pbx, src, answer(401, "Unauthorized", reg, "pj-g1", [server, challenge("n1")]))
    for cseq in (2, 3, 4):
        cap.wait(15)
        reg = register(src, "1154", cid, cseq, "1154", f"n{cseq - 1}")
        net.send(pbx, src, answer(401, "Unauthorized", reg, f"pj-g{cseq}", [server, challenge(f"n{cseq}")]))
    for user in ("1155", "1156"):
        cap.wait(20)
        cid = f"guess-{user}@203.0.113.99"
        reg = register(src, user, cid, 1, user)
        net.send(pbx, src, answer(401, "Unauthorized", reg, f"pj-{user}a", [server, challenge(f"m{user}")]))
        cap.wait(10)
        reg = register(src, user, cid, 2, user, f"m{user}")
        net.send(pbx, src, answer(401, "Unauthorized", reg, f"pj-{user}b", [server, challenge(f"k{user}")]))
    save("diag-password-guessing.pcap", cap)


def password_guessed():
    """The same guesser against user 1154 of the PJSIP box, and this time the
    fourth retry is accepted (200 OK, a binding for 3600 s)."""
    cap = Capture()
    net = Net(cap)
    pbx, src = ("10.6.0.2", 5060), ("203.0.113.99", 5062)
    server = "Server: Asterisk PBX 18.20.0"
    cid = "guessed-1154@203.0.113.99"
    contact = "<sip:1154@203.0.113.99:5062>"

    def register(cseq, nonce=None):
        via = f"SIP/2.0/UDP 203.0.113.99:5062;rport;branch=z9hG4bKPj-ok-{cseq}"
        h = ["Expires: 3600"]
        if nonce:
            h.append("Authorization: " + digest("1154", "asterisk", nonce, "sip:10.6.0.2",
                                                f', qop=auth, nc=0000000{cseq}, cnonce="c{cseq}", opaque="0a1b"'))
        reg = headers("REGISTER", cseq, cid, [via], "<sip:1154@10.6.0.2>;tag=ok1154",
                      "<sip:1154@10.6.0.2>", contact, h)
        net.send(src, pbx, request("REGISTER", "sip:10.6.0.2", reg))
        return reg

    reg = register(1)
    for cseq in (2, 3, 4, 5):
        chal = (f'WWW-Authenticate: Digest realm="asterisk", nonce="ok{cseq - 1}", opaque="0a1b", '
                f'algorithm=md5, qop="auth"')
        net.send(pbx, src, answer(401, "Unauthorized", reg, f"pj-ok{cseq - 1}", [server, chal]))
        cap.wait(15)
        reg = register(cseq, f"ok{cseq - 1}")
    net.send(pbx, src, answer(200, "OK", reg, "pj-ok5", [server, f"Contact: {contact};expires=3600"]))
    save("diag-password-guessed.pcap", cap)


def forged_invite():
    """An INVITE written as Metasploit's sip_invite_spoof writes it, from
    203.0.113.150 to a phone at 10.6.0.40 (port-forwarded): the Via names the
    phone without a branch, the From has no tag, the request-URI is
    sip:@127.0.0.1, the Contact sip:127.0.0.1. The phone answers 100 and
    rings (180); the forger never sends anything else."""
    cap = Capture()
    net = Net(cap)
    tool, phone = ("203.0.113.150", 5060), ("10.6.0.40", 5060)
    inv = ["To: <sip:10.6.0.40>", "Via: SIP/2.0/UDP 10.6.0.40",
           'From: "The Metasploit has you"<sip:192.168.1.1>', "Call-ID: 14210.6.0.40",
           "CSeq: 1 INVITE", "Max-Forwards: 20", "Contact: <sip:127.0.0.1>"]
    net.send(tool, phone, request("INVITE", "sip:@127.0.0.1", inv))
    ua = "User-Agent: Yealink SIP-T46S 66.86.0.15"
    net.send(phone, tool, answer(100, "Trying", inv, None, [ua], via_params=";received=203.0.113.150"))
    net.send(phone, tool, answer(180, "Ringing", inv, "yl-1", [ua, "Contact: <sip:10.6.0.40:5060>"],
                                 via_params=";received=203.0.113.150"))
    cap.wait(3000)
    save("diag-forged-invite.pcap", cap)


def register_new_callid():
    """alice's phone registers from 10.7.0.21:5060 (Call-ID A: 401, 200 for
    120 s), refreshes 60 s later (200), then restarts: Call-ID B, Contact
    10.7.0.35:5062 (a new DHCP lease), 401, 200, 30 s after the refresh."""
    cap = Capture()
    net = Net(cap)
    reg_srv = ("10.7.0.1", 5060)
    server = "Server: Asterisk PBX 18.20.0"
    nonces = iter(f"rn{n}" for n in range(10))

    def bind(phone, cid, cseq, tag, contact):
        host, port = phone
        via = f"SIP/2.0/UDP {host}:{port};rport;branch=z9hG4bKPj-nc-{tag}-{cseq}"
        base = ["Expires: 120", "User-Agent: Grandstream GXP2170 1.0.11.23"]
        frm = f"<sip:alice@10.7.0.1>;tag=nc-{tag}"
        to = "<sip:alice@10.7.0.1>"
        reg = headers("REGISTER", cseq, cid, [via], frm, to, contact, base)
        net.send(phone, reg_srv, request("REGISTER", "sip:10.7.0.1", reg))
        nonce = next(nonces)
        net.send(reg_srv, phone, answer(401, "Unauthorized", reg, f"pj-{tag}{cseq}",
                                        [server, f'WWW-Authenticate: Digest realm="asterisk", nonce="{nonce}"']))
        reg = headers("REGISTER", cseq + 1, cid, [via + "a"], frm, to, contact,
                      base + ["Authorization: " + digest("alice", "asterisk", nonce, "sip:10.7.0.1")])
        net.send(phone, reg_srv, request("REGISTER", "sip:10.7.0.1", reg), dt_us=2000)
        net.send(reg_srv, phone, answer(200, "OK", reg, f"pj-{tag}{cseq}a",
                                        [server, f"Contact: {contact};expires=120"]))

    first = ("10.7.0.21", 5060)
    bind(first, "boot1-alice@10.7.0.21", 1, "a", "<sip:alice@10.7.0.21:5060>")
    cap.wait(60_000)
    bind(first, "boot1-alice@10.7.0.21", 3, "a", "<sip:alice@10.7.0.21:5060>")
    cap.wait(30_000)
    second = ("10.7.0.35", 5062)
    bind(second, "boot2-alice@10.7.0.35", 1, "b", "<sip:alice@10.7.0.35:5062>")
    save("diag-register-new-callid.pcap", cap)


def register_shared_callid():
    """A client at 10.8.0.50 registers three accounts to a provider's
    registrar (10.8.0.1) on one Call-ID: voi18063 (CSeq 70-71: 401, 200),
    voi18062 (CSeq 72-73: 401, 200), 35104723 (CSeq 74-75: 401, 200, then
    CSeq 76-77 with Expires: 0, 401, 200: its de-registration)."""
    cap = Capture()
    net = Net(cap)
    client, srv = ("10.8.0.50", 5060), ("10.8.0.1", 5060)
    cid = "shared-3acc@10.8.0.50"
    server = "Server: Provider Registrar 2.1"
    n = [0]

    def two_step(user, cseq, expires):
        frm = f"<sip:{user}@voip.example.net>;tag=sh-{user}"
        to = f"<sip:{user}@voip.example.net>"
        contact = f"<sip:{user}@10.8.0.50:5060>"
        for step in (0, 1):
            n[0] += 1
            via = f"SIP/2.0/UDP 10.8.0.50:5060;branch=z9hG4bK-sh-{n[0]}"
            extra = [f"Expires: {expires}", "User-Agent: SoftClient 3.2"]
            if step:
                extra.append("Authorization: " + digest(user, "voip.example.net", f"sn{cseq}",
                                                        "sip:voip.example.net"))
            reg = headers("REGISTER", cseq + step, cid, [via], frm, to, contact, extra)
            net.send(client, srv, request("REGISTER", "sip:voip.example.net", reg), dt_us=1500)
            if step:
                granted = [f"Contact: {contact};expires={expires}"] if expires else []
                net.send(srv, client, answer(200, "OK", reg, f"r-{n[0]}", [server] + granted))
            else:
                chal = f'WWW-Authenticate: Digest realm="voip.example.net", nonce="sn{cseq}"'
                net.send(srv, client, answer(401, "Unauthorized", reg, f"r-{n[0]}", [server, chal]))
        cap.wait(200)

    two_step("voi18063", 70, 3600)
    two_step("voi18062", 72, 3600)
    two_step("35104723", 74, 3600)
    two_step("35104723", 76, 0)
    save("diag-register-shared-callid.pcap", cap)


def main():
    field.OUT = OUT
    scanner_sweep()
    password_guessing()
    password_guessed()
    forged_invite()
    register_new_callid()
    register_shared_callid()


ROOT = os.path.dirname(HERE)
OUT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else os.path.join(ROOT, "samples")

if __name__ == "__main__":
    main()
