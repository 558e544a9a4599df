# Stands in for the pip bootstrap script ansible-test downloads from ci-files.testing.ansible.com
# (not reachable from our machines): Python's own ensurepip installs the bundled pip into the
# sanity test's virtual environment, then pip installs what ansible-test asked for, from PyPI.
# scripts/ansible-test.sh puts it where ansible-test looks (HOME/.ansible/test/cache/).
# The system's CA bundle becomes this environment's pip's (pip.conf in the environment):
# ansible-test runs pip with a clean environment, and a TLS-inspecting proxy's CA is only there.
import ensurepip
import os
import subprocess
import sys

bundle = "/etc/ssl/certs/ca-certificates.crt"
if os.path.exists(bundle):
    with open(os.path.join(sys.prefix, "pip.conf"), "w") as conf:
        conf.write("[global]\ncert = %s\n" % bundle)
ensurepip.bootstrap(upgrade=True)
# ensurepip leaves PIP_CONFIG_FILE=/dev/null behind, which would hide that pip.conf.
os.environ.pop("PIP_CONFIG_FILE", None)
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + sys.argv[1:]))
