# shellcheck shell=bash disable=SC2154  # $healthy and $here come from scripts/sample-host.sh
# Sourced by scripts/sample-host.sh, in the sample root, in name order.

# Fault 11: a kernel without BTF whose headers are not installed.
kernel=6.1.0-sample-amd64
mkdir -p "boot" "lib/modules/$kernel/kernel"
# What Debian 12's kernels set of the options the connector's eBPF programs need (fault 16).
config() {
  echo 'CONFIG_LOCALVERSION=""'
  printf '%s\n' CONFIG_BPF=y CONFIG_BPF_SYSCALL=y CONFIG_BPF_EVENTS=y CONFIG_KPROBES=y CONFIG_KPROBE_EVENTS=y CONFIG_FANOTIFY=y \
    CONFIG_FANOTIFY_ACCESS_PERMISSIONS=y CONFIG_PROC_EVENTS=y CONFIG_BSD_PROCESS_ACCT=y
  echo "$1"
}
config '# CONFIG_DEBUG_INFO_BTF is not set' > "boot/config-$kernel"
if $healthy; then
  # BTF (fault 11), and ampfsm and ampnetworkflow built for the kernel and in its depmod index
  # (faults 8, 9): ELF objects whose .modinfo says what a module's would; nothing can load them.
  config CONFIG_DEBUG_INFO_BTF=y > "boot/config-$kernel"
  mkdir -p "lib/modules/$kernel/extra"
  for module in ampfsm ampnetworkflow; do
    printf 'static const char a[] __attribute__((section(".modinfo"), used, aligned(1))) = "license=GPL";\n' > tmp/m.c
    printf 'static const char b[] __attribute__((section(".modinfo"), used, aligned(1))) = "name=%s";\n' "$module" >> tmp/m.c
    printf 'static const char c[] __attribute__((section(".modinfo"), used, aligned(1))) = "vermagic=%s SMP mod_unload ";\n' "$kernel" >> tmp/m.c
    gcc -c tmp/m.c -o "lib/modules/$kernel/extra/$module.ko"
  done
  rm -f tmp/m.c
  touch "lib/modules/$kernel/modules.order" "lib/modules/$kernel/modules.builtin" "lib/modules/$kernel/modules.builtin.modinfo"
  depmod -b "$PWD" "$kernel"
fi
