// swift-tools-version: 6.1
// libFuzzer targets for ampfix's parsers of untrusted input. A package of its own: its
// executables have no main (libFuzzer brings one), so they build only with
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// which scripts/fuzz.sh does.
import PackageDescription

let parsers = ["LoginDefs", "Accounts", "OSRelease", "SELinuxConfig", "KernelSupport", "Journal", "JSON", "SecureBoot", "MokList", "ConnectorStatus", "ConnectorFaultCount", "Definitions", "KernelEvidence"]

let package = Package(
    name: "ampfix-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "ampfix", path: "..")],
    targets: [.target(name: "CFuzzDriver"), .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"])] + parsers.map { parser in
        .executableTarget(name: "Fuzz\(parser)", dependencies: ["FuzzSupport", .product(name: "AmpfixCore", package: "ampfix")])
    },
    swiftLanguageModes: [.v6]
)
