#!/bin/sh
# The VM test's Secure Boot scenario (scripts/vm-test.sh --secure-boot): the guest booted by
# OVMF with Secure Boot enforcing, through Debian's signed shim and GRUB, so the kernel is locked
# down and MokListRT is what shim left. A build of ampfsm with DKMS is signed with DKMS's own
# key, which no one has enrolled: ampfix must build it, plan no load, and give the enrollment
# steps; the kernel's refusal of that build and mokutil must agree with what ampfix says.
# shellcheck source=scripts/vm/lib.sh
. /usr/local/lib/ampfix-vm/lib.sh
dkms_cert=/var/lib/dkms/mok.pub

check "Secure Boot enforcing (mokutil --sb-state)" sh -c 'mokutil --sb-state | grep -x "SecureBoot enabled"'
check "the kernel is locked down (integrity)" sh -c 'grep -o "\[integrity\]" /sys/kernel/security/lockdown'
check "shim left a MOK list (MokListRT)" sh -c 'ls /sys/firmware/efi/efivars | grep "^MokListRT-" && mokutil --list-enrolled | grep -m1 "CN="'
check "no DKMS key yet" test ! -e "$dkms_cert"

# The connector's own build in /lib/modules/RELEASE/extra is unsigned: the kernel refuses it.
ampfix --fault 8 --dry-run --json > /tmp/sb-diagnosis.json 2>&1
evidence /tmp/sb-diagnosis.json 8 > /tmp/sb-diagnosis.evidence
check "diagnosis: fault 8 present" equal "$(status /tmp/sb-diagnosis.json 8)" present
check "diagnosis: the evidence says Secure Boot is on" grep -x "UEFI Secure Boot is enabled (/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c)" /tmp/sb-diagnosis.evidence
check "diagnosis: the unsigned prebuilt module is not loaded, and why" grep "Secure Boot refuses unsigned modules" /tmp/sb-diagnosis.evidence
check "diagnosis: no load planned" equal "$(actions /tmp/sb-diagnosis.json 8)" ""
check "the kernel agrees: modprobe ampfsm is refused" sh -c '! modprobe ampfsm 2>&1 && modprobe ampfsm 2>&1 | grep -i "key was rejected\|required key not available"'

# Fault 8 on a kernel without ampfsm: the stand-in source in /usr/src/ampfsm-2.0.0 is built with
# DKMS. DKMS makes its key at that first build, so the dry run can only say it does not exist yet.
rm "/lib/modules/$release/extra/ampfsm.ko" && depmod "$release"
ampfix --fault 8 --dry-run --json > /tmp/sb-dry.json 2>&1
evidence /tmp/sb-dry.json 8 > /tmp/sb-dry.evidence; steps /tmp/sb-dry.json 8 > /tmp/sb-dry.steps
# (The kernel's header package first: fault 11's change, from the guest's file: repository.)
check "dry run: the headers and the build are planned, no load" equal "$(actions /tmp/sb-dry.json 8)" "install-packages planned,dkms-install planned"
check "dry run: DKMS's key does not exist yet" grep "DKMS signs with $dkms_cert (DKMS's default here), which does not exist yet" /tmp/sb-dry.evidence
check "dry run: the enrollment steps" grep -F "mokutil --import $dkms_cert" /tmp/sb-dry.steps

built_at=$(date +%s)
ampfix --fault 8 --json > /tmp/sb-build.json 2> /tmp/sb-build.err; echo "exit $?" > /tmp/sb-build.exit
steps /tmp/sb-build.json 8 > /tmp/sb-build.steps
check "build: ampfix --fault 8 installs the headers, builds and installs ampfsm, loads nothing ($(( $(date +%s) - built_at )) s)" equal \
  "$(actions /tmp/sb-build.json 8) $(status /tmp/sb-build.json 8)" "install-packages applied,dkms-install applied present"
check "build: dkms status says installed" sh -c "dkms status | grep '^ampfsm/2.0.0, $release, .*: installed'"
check "build: DKMS signed it with its new key" sh -c "test -s $dkms_cert && modinfo -F signer ampfsm | grep . && modinfo -F description ampfsm | grep -x 'Cisco AMP Filesystem Module (user-built)'"
check "build: ampfsm is not loaded" test ! -e /sys/module/ampfsm
check "build: the report gives the enrollment steps" sh -c "grep -F 'mokutil --import $dkms_cert' /tmp/sb-build.steps && grep 'Enroll MOK' /tmp/sb-build.steps"

# Now the key exists and is not enrolled: ampfix reads MokListRT and says so; mokutil and the
# kernel agree.
ampfix --fault 8 --json > /tmp/sb-second.json 2>&1
evidence /tmp/sb-second.json 8 > /tmp/sb-second.evidence
check "second run: changes nothing, plans no load" equal "$(jq -r '.run // "none"' /tmp/sb-second.json) $(actions /tmp/sb-second.json 8)" "none "
check "second run: DKMS's key is not in MokListRT" grep "DKMS signs with $dkms_cert (DKMS's default here), which is not among the [0-9]* certificates of the MOK list (MokListRT): the kernel refuses its builds" /tmp/sb-second.evidence
check "mokutil agrees: the key is not enrolled" sh -c "mokutil --test-key $dkms_cert 2>&1 | grep -i 'not enrolled'"
check "the kernel agrees: modprobe of DKMS's build is refused" sh -c '! modprobe ampfsm 2>&1 && modprobe ampfsm 2>&1 | grep -i "key was rejected\|required key not available"'
check "second run: the evidence tells DKMS's build from the connector's" grep -i "user-built" /tmp/sb-second.evidence

ampfix undo > /tmp/sb-undo.txt 2>&1; echo "exit $?" >> /tmp/sb-undo.txt
check "undo: no DKMS entry, no module file, nothing loaded" sh -c "tail -n 1 /tmp/sb-undo.txt | grep -x 'exit 0' && [ -z \"\$(dkms status)\" ] && ! test -e /lib/modules/$release/updates/dkms/ampfsm.ko && ! test -e /sys/module/ampfsm"

{ mokutil --sb-state; mokutil --list-enrolled | grep -E 'Subject:|CN='; cat /sys/kernel/security/lockdown; dmesg | grep -iE 'secure|lockdown|mok|x509|ampfsm'; } > /tmp/sb-debug.txt 2>&1
send_files sb-diagnosis.json sb-dry.json sb-build.json sb-build.err sb-second.json sb-undo.txt sb-debug.txt
finish
