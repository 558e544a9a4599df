# Stands in for the pip bootstrap script ansible-test downloads from ci-files.testing.ansible.com
# (not reachable from our machines): Python's own ensurepip installs the bundled pip into the
# sanity test's virtual environment, then pip installs what ansible-test asked for, from PyPI.
# scripts/lib/ansible-venv.sh puts it where ansible-test looks (HOME/.ansible/test/cache/
# get_pip_VERSION.py, VERSION the pip of that ansible-test).
# The options of get-pip.py itself are its, not pip's: --no-setuptools and --no-wheel (which
# ansible-test 2.19 passes) say not to install those; ensurepip of Python 3.11 brings
# setuptools along, so it is removed again unless it was asked for.
# The system's CA bundle becomes this environment's pip's (pip.conf in the environment):
# ansible-test runs pip with a clean environment, and a TLS-inspecting proxy's CA is only there.
import ensurepip
import os
import subprocess
import sys

OWN_OPTIONS = ("--no-setuptools", "--no-wheel", "--no-pip")

bundle = "/etc/ssl/certs/ca-certificates.crt"
if os.path.exists(bundle):
    with open(os.path.join(sys.prefix, "pip.conf"), "w") as conf:
        conf.write("[global]\ncert = %s\n" % bundle)
ensurepip.bootstrap(upgrade=True)
# ensurepip leaves PIP_CONFIG_FILE=/dev/null behind, which would hide that pip.conf.
os.environ.pop("PIP_CONFIG_FILE", None)
arguments = [argument for argument in sys.argv[1:] if argument not in OWN_OPTIONS]
asked = [argument.split("=")[0].split("<")[0].split(">")[0].lower() for argument in arguments if not argument.startswith("-")]
status = subprocess.call([sys.executable, "-m", "pip", "install"] + arguments)
if status == 0 and "--no-setuptools" in sys.argv[1:] and "setuptools" not in asked:
    status = subprocess.call([sys.executable, "-m", "pip", "uninstall", "-q", "-y", "setuptools"])
sys.exit(status)
