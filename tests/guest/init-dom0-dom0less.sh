# SPDX-License-Identifier: MIT
# Dom0's side of the dom0less-enhanced system case (tests/system/
# dom0less_cases.py): two "xen,enhanced" DomUs from the boot DTB, domain 1
# Debian's Linux (tests/guest/init-domu.sh, orchid.domu=enhanced), domain
# 2 the bare-metal test guest, idling. Debian's unmodified init-dom0less
# (xen-utils 4.17) gives them their xenstore page and entries; then xl
# sees them, and Linux in domain 1 reads and writes its own entries.
# On Orchid, orchid-dom0less-console then gives domain 1's PV console its
# xenstore nodes and xl console reaches it (beyond Xen 4.17).
#
# Installed as /bin/orchid-dom0less in the toolstack initramfs and sourced
# by init-dom0-toolstack.sh when orchid.only= names dom0less-enhanced,
# after toolstack_start (xenstored, xen-init-dom0, xenconsoled); uses its
# helpers (capture, show, xlt, wait_until).

# init-dom0less: one "Init dom0less domain: N" per enhanced DomU, exit 0.
check_dl_init() {
	capture /tmp/dl-init.out 120 init-dom0less
	r=$?
	show init-dom0less /tmp/dl-init.out
	DETAIL="exit $r"
	[ $r = 0 ] && grep -q '^Init dom0less domain: 1$' /tmp/dl-init.out &&
		grep -q '^Init dom0less domain: 2$' /tmp/dl-init.out
}

# xl list: each by the name init-dom0less gives (dom0less-<id>), its ID,
# its RAM (init-dom0less's xenstore page is one page more: xl rounds
# down), its vCPUs, and neither paused, shut down, crashed nor dying.
dl_line_ok() { # dl_line_ok ID MIB VCPUS
	set -- "$@" $(grep "^dom0less-$1 " /tmp/dl-list.out)
	[ "$5" = "$1" ] && [ "$6" = "$2" ] && [ "$7" = "$3" ] &&
		echo "$8" | grep -q '^[r-][b-]----$'
}

# xl list, then each "ID MIB VCPUS" given must be a healthy line of it.
dl_list_shows() { # dl_list_shows "ID MIB VCPUS"...
	capture /tmp/dl-list.out 60 xl list
	r=$?
	show xl-list /tmp/dl-list.out
	DETAIL="exit $r: $(grep '^dom0less-' /tmp/dl-list.out | tr -s ' ' |
		tr '\n' ';')"
	[ $r = 0 ] || return 1
	for _want in "$@"; do
		# shellcheck disable=SC2086 # split into its three words
		dl_line_ok $_want || return 1
	done
}

check_dl_list() {
	dl_list_shows "1 256 1" "2 64 1"
}

# Linux in domain 1 was waiting for its xenstore (HVM_PARAM_STORE_PFN all
# ones): once connected it reads its name and writes data/orchid-ready.
check_dl_domu_xenstore() {
	dl_ready() {
		[ "$(timeout -s KILL 20 xenstore-read \
			/local/domain/1/data/orchid-ready 2>/dev/null)" = 1 ]
	}
	wait_until 240 dl_ready
	r=$?
	DETAIL="store/port $(timeout -s KILL 20 xenstore-read \
		/local/domain/1/store/port 2>&1), name $(timeout -s KILL 20 \
		xenstore-read /local/domain/1/name 2>&1)"
	return $r
}

# A second run finds both introduced and leaves them.
check_dl_rerun() {
	capture /tmp/dl-rerun.out 60 init-dom0less
	r=$?
	show init-dom0less /tmp/dl-rerun.out
	DETAIL="exit $r"
	[ $r = 0 ] &&
		grep -q '^Domain 1 has already been initialized$' /tmp/dl-rerun.out &&
		grep -q '^Domain 2 has already been initialized$' /tmp/dl-rerun.out &&
		! grep -q '^Init dom0less' /tmp/dl-rerun.out
}

# Which hypervisor this is, from xl info alone (not from what the console
# tool found, so that a missing console on Orchid cannot pass as Xen's).
dl_hypervisor() {
	case "$(xl_info_field xen_changeset)" in
	Orchid*) echo orchid ;;
	*) echo xen ;;
	esac
}

# orchid-dom0less-console, after init-dom0less: on Orchid it writes domain
# 1's console nodes (the hypervisor built the page, grant entry and port
# as libxl would), and a second run leaves them; Xen 4.17 builds no PV
# console for a dom0less DomU, and the tool says so and changes nothing.
check_dl_console_setup() {
	DL_HV=$(dl_hypervisor)
	capture /tmp/dl-cs.out 60 orchid-dom0less-console
	r=$?
	capture /tmp/dl-cs2.out 60 orchid-dom0less-console 1
	r2=$?
	show dl-console-setup /tmp/dl-cs.out
	show dl-console-setup-again /tmp/dl-cs2.out
	DETAIL="on $DL_HV: exit $r '$(grep '^Domain 1:' /tmp/dl-cs.out)', again exit $r2 '$(head -n 1 /tmp/dl-cs2.out)'"
	[ $r = 0 ] && [ $r2 = 0 ] || return 1
	if [ "$DL_HV" = orchid ]; then
		# libxl's nodes and permissions: Dom0 owns, the domain reads.
		capture /tmp/dl-cs-ls.out 20 xenstore-ls -p /local/domain/1/console
		show xenstore-ls /tmp/dl-cs-ls.out
		grep -q '^Domain 1: PV console at gfn 0x39000, port [1-9][0-9]*$' /tmp/dl-cs.out &&
			grep -q '^Domain 1: already has a console$' /tmp/dl-cs2.out &&
			grep -q '^ring-ref = "233472"[ .]*(n0,r1)$' /tmp/dl-cs-ls.out &&
			grep -q '^type = "xenconsoled"[ .]*(n0,r1)$' /tmp/dl-cs-ls.out
	else
		grep -q '^Domain 1: no PV console$' /tmp/dl-cs.out &&
			grep -q '^Domain 1: no PV console$' /tmp/dl-cs2.out
	fi
}

# Both console types on Xen 4.17: init-dom0less sets up no PV console
# (nor any vuart/0 nodes), so xenconsole finds no tty: "Could not read
# tty from store". A dom0less DomU's console there is its vpl011, reached
# from the serial line (Ctrl-a x3).
dl_console_fails() { # dl_console_fails TYPE-OPTION... -> 0 when it fails so
	capture /tmp/dl-con-fail.out 20 xl console "$@" dom0less-1 </dev/null
	_r=$?
	show "xl-console $*" /tmp/dl-con-fail.out
	[ $_r != 0 ] && grep -q 'Could not read tty from store' /tmp/dl-con-fail.out
}

dl_con_has() { tr -d '\r' < /tmp/dl-con.out | grep -q "$1"; }
# ... or xenconsole is gone (no tty: it gives up after 5 s).
dl_con_done() { dl_con_has "$1" || ! kill -0 "$_pid" 2>/dev/null; }

# Orchid: xl console (stdin no tty: xenconsole only copies the DomU's
# output) shows the DomU's hvc0 beacon; a line written into the pty that
# xenconsoled named in console/tty reaches the DomU's hvc0 and its answer
# comes back through the same xl console.
dl_console_reaches() {
	timeout -s KILL 120 xl console dom0less-1 </dev/null >/tmp/dl-con.out 2>&1 &
	_pid=$!
	_line="ping-$$-$(date +%s)"
	_tty=$(timeout -s KILL 20 xenstore-read /local/domain/1/console/tty 2>&1)
	wait_until 60 dl_con_done 'ORCHID-HVC dom-ready'
	dl_con_has 'ORCHID-HVC dom-ready' &&
		[ -c "$_tty" ] && timeout -s KILL 10 sh -c 'echo "$1" > "$2"' _ "$_line" "$_tty" &&
		wait_until 30 dl_con_done "ORCHID-HVC-GOT $_line" &&
		dl_con_has "ORCHID-HVC-GOT $_line"
	_r=$?
	kill -KILL $_pid 2>/dev/null
	wait $_pid 2>/dev/null
	# The beacon repeats: each run of equal lines once, with its count.
	tr -d '\r' < /tmp/dl-con.out | uniq -c | show xl-console
	# How xenconsoled mapped the ring: grant entry 0 (gntdev) or, failing
	# that, ring-ref as a foreign page (privcmd).
	_maps=/proc/$(pidof xenconsoled | cut -d' ' -f1)/maps
	DETAIL="$DETAIL; tty $_tty, sent $_line, got back: $(dl_con_has "ORCHID-HVC-GOT $_line" && echo yes || echo no); xenconsoled maps gntdev $(grep -c gntdev "$_maps") privcmd $(grep -c privcmd "$_maps")"
	return $_r
}

check_dl_console() {
	DL_HV=$(dl_hypervisor)
	DETAIL="on $DL_HV"
	dl_console_fails -t vuart || { DETAIL="$DETAIL; xl console -t vuart did not fail so"; return 1; }
	if [ "$DL_HV" = orchid ]; then
		dl_console_reaches || return 1
		echo "ORCHID-DL-CONSOLE reached dom0less-1"
	else
		dl_console_fails || { DETAIL="$DETAIL; xl console did not fail so"; return 1; }
		echo "ORCHID-DL-CONSOLE none"
	fi
}

# ---- dom0less-enhanced-restart: the same Linux DomU alone, with
# orchid,on-reboot = "restart" (beyond Xen). Its first incarnation is
# introduced and connected as above; Dom0 reboots it (xl sysrq b, through
# its xenstore); Orchid rebuilds it with the same domain ID once nothing
# of the old one is mapped any more, which is after xenstored saw it gone
# (VIRQ_DOM_EXC, getdomaininfo) and released its introduction. A second
# run of the unmodified init-dom0less then introduces the new incarnation
# and Linux there connects again.

# The reboot request goes through the first incarnation's xenstore.
check_dlr_reboot() {
	timeout -s KILL 20 xenstore-rm /local/domain/1/data/orchid-ready
	capture /tmp/dlr-sysrq.out 30 xl sysrq dom0less-1 b
	r=$?
	show xl-sysrq /tmp/dlr-sysrq.out
	DETAIL="exit $r"
	[ $r = 0 ]
}

# Once xenstored has let the old incarnation go, init-dom0less finds domain
# 1 new; until then it says "already initialized" (as it did for ever
# before the fix: xenstored kept the old introduction).
dlr_reinit() {
	capture /tmp/dlr-init.out 60 init-dom0less
	DLR_RC=$?
	grep -q '^Init dom0less domain: 1$' /tmp/dlr-init.out
}

# ... and that run succeeds (it once failed, "writing to xenstore", when it
# caught the domain half built: now hidden until built, DOMCF_HIDDEN).
check_dlr_reinit() {
	wait_until 240 dlr_reinit
	r=$?
	show init-dom0less /tmp/dlr-init.out
	DETAIL="exit $DLR_RC, last run: $(tr '\n' ';' < /tmp/dlr-init.out)"
	[ $r = 0 ] && [ $DLR_RC = 0 ]
}

# The new incarnation's Linux connected to xenstore and wrote its key.
check_dlr_domu_xenstore() {
	check_dl_domu_xenstore
}

check_dlr_list() {
	dl_list_shows "1 256 1"
}

# The deterministic order: xenstored is stopped while the DomU is shut
# down (SCHEDOP_remote_shutdown, reboot: no xenstore needed) and for 3 s
# after, so it cannot see the old incarnation go before Orchid could
# rebuild it. Before the fix Orchid rebuilt it at once; xenstored, let go
# on, found a live domain 1 and kept the old introduction for good.
check_dlr_stalled_xenstored() {
	timeout -s KILL 20 xenstore-rm /local/domain/1/data/orchid-ready
	pid=$(cat /run/xenstored.pid 2>/dev/null || pidof xenstored)
	kill -STOP $pid
	capture /tmp/dlr-rs.out 30 privcmd_domctl --remote-shutdown 1 1
	r=$?
	sleep 3
	kill -CONT $pid
	show remote-shutdown /tmp/dlr-rs.out
	DETAIL="xenstored $pid, exit $r"
	[ $r = 0 ]
}

run_dom0less_restart_checks() {
	check dom0less-init check_dl_init_one
	check dom0less-domu-xenstore check_dl_domu_xenstore
	check dom0less-reboot check_dlr_reboot
	check dom0less-reinit check_dlr_reinit
	check dom0less-restarted-xenstore check_dlr_domu_xenstore
	check dom0less-restarted-xl-list check_dlr_list
	check dom0less-stalled-xenstored check_dlr_stalled_xenstored
	check dom0less-stalled-reinit check_dlr_reinit
	check dom0less-stalled-xenstore check_dlr_domu_xenstore
}

check_dl_init_one() {
	capture /tmp/dl-init.out 120 init-dom0less
	r=$?
	show init-dom0less /tmp/dl-init.out
	DETAIL="exit $r"
	[ $r = 0 ] && grep -q '^Init dom0less domain: 1$' /tmp/dl-init.out
}

run_dom0less_checks() {
	check dom0less-init check_dl_init
	check dom0less-xl-list check_dl_list
	check dom0less-domu-xenstore check_dl_domu_xenstore
	check dom0less-rerun check_dl_rerun
	check dom0less-console-setup check_dl_console_setup
	check dom0less-console check_dl_console
}
