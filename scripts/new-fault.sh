#!/usr/bin/env bash
# Adds a fault the way CONTRIBUTING.md says, starting from the tests' example fault:
#   scripts/new-fault.sh NUMBER NAME
# NUMBER is the connector's fault number; NAME the fault's Swift name, lowerCamelCase
# (scanUserUnavailable). It writes
#   Sources/AmpfixCore/Faults/FaultNN<Name>.swift   a copy of Tests/AmpfixCoreTests/FaultExample.swift
#                                                  with the number and a new MESSAGE_ID (systemd-id128)
#   Sources/AmpfixCore/Faults/FaultRegistry.swift   the registry line, in fault order
#   Tests/AmpfixCoreTests/FaultNN<Name>Tests.swift  its test (diagnosis, dry run, repair)
# and refreshes po/ (scripts/po.sh extract and update). Nothing else names the faults: --help,
# the --fault values, `ampfix list`, the journal catalog the packages make and the tests' counts
# all come from the registry. Then write the fault's texts and check, translate the new entries
# of po/zh_CN.po (scripts/po.sh check names them) and run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 2 ] || { echo "usage: $0 NUMBER NAME  (e.g. $0 21 spoolDirectoryOpen)" >&2; exit 64; }
number=$1 name=$2
[[ $number =~ ^[1-9][0-9]{0,3}$ ]] || { echo "$0: '$number' is not a fault number (1-9999)" >&2; exit 64; }
[[ $name =~ ^[a-z][A-Za-z0-9]*$ ]] || { echo "$0: '$name' is not a lowerCamelCase Swift name" >&2; exit 64; }
if grep -rqE "FaultID\(declaring: $number\)" Sources; then
  echo "$0: fault $number exists already: $(grep -rlE "FaultID\(declaring: $number\)" Sources)" >&2; exit 1
fi
if grep -rqE "static let $name = " Sources/AmpfixCore/Faults; then
  echo "$0: the name $name is taken" >&2; exit 1
fi
type=${name^}
file=$(printf 'Sources/AmpfixCore/Faults/Fault%02d%s.swift' "$number" "$type")
test=$(printf 'Tests/AmpfixCoreTests/Fault%02d%sTests.swift' "$number" "$type")
id=$(systemd-id128 new 2>/dev/null || python3 -c 'import uuid; print(uuid.uuid4().hex)')

python3 - "$number" "$name" "$type" "$id" "$file" "$test" <<'EOF'
import re, sys, glob
number, name, type_, message_id, file, test = sys.argv[1:]
example = open("Tests/AmpfixCoreTests/FaultExample.swift").read()
# The example's own comment goes; the rest is the fault, public as the real faults are.
body = example[example.index("extension FaultID"):]
body = re.sub(r"FaultID\(declaring: \d+\)", f"FaultID(declaring: {number})", body)
body = re.sub(r'journalMessageID: "[0-9a-f]{32}"', f'journalMessageID: "{message_id}"', body)
body = body.replace("ExampleSpoolModeFault", f"{type_}Fault").replace("exampleSpoolMode", name)
body = body.replace("The example fault (imaginary)", f"Fault {number}")
body = re.sub(r"^    static let ", "    public static let ", body, flags=re.M)
body = re.sub(r"^struct ", "public struct ", body, flags=re.M)
body = re.sub(r"^    let id ", "    public let id ", body, flags=re.M)
body = body.replace("\n    func diagnose(", "\n    public init() {}\n\n    public func diagnose(")
header = (f"// Fault {number}, made by scripts/new-fault.sh from the tests' example fault: its texts and its\n"
          f"// check are the example's until they are written (CONTRIBUTING.md, \"Adding a fault\").\n\n")
open(file, "w").write(header + body)

# The registry line, in fault order.
numbers = {}
for path in glob.glob("Sources/AmpfixCore/Faults/*.swift"):
    for m in re.finditer(r"static let (\w+) = FaultID\(declaring: (\d+)\)", open(path).read()):
        numbers[m.group(1)] = int(m.group(2))
registry_path = "Sources/AmpfixCore/Faults/FaultRegistry.swift"
registry = open(registry_path).read()
start = registry.index("public static let standard = FaultRegistry([")
end = registry.index("])", start)
lines = registry[start:end].split("\n")
entries = [l for l in lines[1:] if l.strip().startswith(".")]
names = [l.strip().rstrip(",")[1:] for l in entries]
names.append(name)
names.sort(key=lambda n: numbers[n])
block = lines[0] + "\n" + "".join(f"        .{n},\n" for n in names) + "    "
open(registry_path, "w").write(registry[:start] + block + registry[end:])

open(test, "w").write(f'''import AmpfixCore
import AmpfixTestSupport
import Testing

/// Fault {number} through the core on in-memory adapters: diagnosis, dry run, repair, and the
/// diagnosis after (made by scripts/new-fault.sh; rewrite it with the fault's check).
@Suite struct {type_}Tests {{
    static func run(mode: UInt32) throws -> (Run, MemoryDirectories) {{
        let path = {type_}Fault.path
        let attributes = DirectoryAttributes(mode: mode, uid: 0, gid: 0)
        let directories = MemoryDirectories([path: attributes])
        let tree = DirectoryTree(requested: path, resolved: path, directories: [DirectoryEntry(path: path, attributes: attributes)], symlinks: [])
        let host = RunHost(facts: MemoryFacts(trees: [path: tree]), changes: try ChangeRouter([directories]),
                           journal: MemoryJournal(), lock: MemoryRunLock(exists: false), root: "/r")
        let checks = FaultRegistry.standard.checks(RepairOptions(), sources: .none, run: "run-{number}", only: [.{name}])
        return (Run(checks: checks, host: host, language: .en, newRunID: {{ "run-{number}" }}), directories)
    }}

    @Test func itIsFoundRepairedAndThenOK() throws {{
        #expect(FaultID.allCases.contains(.{name}))
        let (run, directories) = try Self.run(mode: 0o777)
        let diagnosis = try run.diagnose([.{name}])
        #expect(diagnosis.faults.map(\\.id) == [{number}])
        #expect(diagnosis.faults[0].status == .present && diagnosis.exitCode == 1)
        let repaired = try run.repair([.{name}], command: ["ampfix", "--fault", "{number}"])
        #expect(repaired.faults[0].actions.map(\\.outcome) == [.applied])
        let now = try #require(directories.directories[{type_}Fault.path])
        let after = try Self.run(mode: now.mode).0.diagnose([.{name}])
        #expect(after.faults[0].status == .ok && after.exitCode == 0)
    }}
}}
''')
EOF
scripts/po.sh extract >/dev/null
scripts/po.sh update
echo "fault $number: $file, the registry line, $test; MESSAGE_ID $id"
if ! scripts/po.sh check >/dev/null 2>&1; then
  echo "po/: new messages to translate (scripts/po.sh check names them)"
fi
