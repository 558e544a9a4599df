// A stand-in for the connector's ampfsm and ampnetworkflow kernel modules, built inside the VM
// image against its kernel's headers (scripts/vm/customize.sh). It does nothing but load; its
// version string (@VERSION@, replaced when the image is built) changes the module's srcversion,
// so an upgrade on disk can be told from the build that is loaded. @FAIL@ is 1 in a build whose
// init fails, to prove that a failed reload puts the old module back.
#include <linux/init.h>
#include <linux/module.h>

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ampfix VM test stand-in for a Cisco Secure Endpoint kernel module");
MODULE_VERSION("@VERSION@");

static int __init stand_in_init(void)
{
	if (@FAIL@) {
		pr_err("%s @VERSION@: init failed on purpose\n", KBUILD_MODNAME);
		return -EINVAL;
	}
	pr_info("%s @VERSION@ loaded\n", KBUILD_MODNAME);
	return 0;
}

static void __exit stand_in_exit(void)
{
}

module_init(stand_in_init);
module_exit(stand_in_exit);
