# shellcheck shell=bash disable=SC2154  # $healthy and $here come from scripts/sample-host.sh
# Sourced by scripts/sample-host.sh, in the sample root, in name order.

# Fault 11: a kernel without BTF whose headers are not installed.
kernel=6.1.0-sample-amd64
mkdir -p "boot" "lib/modules/$kernel/kernel"
printf 'CONFIG_LOCALVERSION=""\nCONFIG_BPF=y\n# CONFIG_DEBUG_INFO_BTF is not set\n' > "boot/config-$kernel"
if $healthy; then
  # BTF (fault 11), and ampfsm and ampnetworkflow built for the kernel and in its depmod index
  # (faults 8, 9): ELF objects whose .modinfo says what a module's would; nothing can load them.
  printf 'CONFIG_LOCALVERSION=""\nCONFIG_BPF=y\nCONFIG_DEBUG_INFO_BTF=y\n' > "boot/config-$kernel"
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
