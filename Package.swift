// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "ampfix",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ampfix", targets: ["ampfix"]),
        // For the fuzz targets (Fuzz/, a package of their own built with -sanitize=fuzzer).
        .library(name: "AmpfixCore", targets: ["AmpfixCore"]),
    ],
    // Package backends: a deb build enables only Apt (no librpm linked), an rpm build only RPM.
    // ClamAV (libclamav beside ampfix's own check of definition files) is on in development
    // builds and off in the packages: hosts run the connector's own ClamAV, not Debian's.
    traits: [
        .default(enabledTraits: ["Apt", "RPM", "ClamAV"]),
        .trait(name: "Apt", description: "Look packages up through libapt-pkg"),
        .trait(name: "RPM", description: "Look packages up through librpm"),
        .trait(name: "ClamAV", description: "Read and verify the connector's definition files with libclamav too (fault 7)"),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // Pure Swift: fault catalog, findings, plans, journal replay, executor, reports.
        // Numbered placeholders, shared by the report's words and the command line's.
        .target(name: "AmpfixText"),
        .target(name: "AmpfixCore", dependencies: ["AmpfixText"]),
        // Linux calls Glibc's Swift module lacks (xattrs, flock, O_PATH).
        .systemLibrary(name: "CLinux", path: "Sources/CLinux"),
        // The host: rooted file access, directory walks, atomic replace, run lock, journal files.
        .target(
            name: "AmpfixSystem",
            dependencies: [
                "AmpfixCore",
                .target(name: "CClamAV", condition: .when(traits: ["ClamAV"])),
                "CConfine",
                "CEvents",
                "CLinux",
                "CSystemd",
                "CZlib",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        // The systemd journal: sd_journal_sendv (libsystemd).
        .systemLibrary(
            name: "CSystemd", path: "Sources/CSystemd", pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"]), .yum(["systemd-devel"])]
        ),
        // SELinux: one system-library target per C library, and the adapter over them. Only
        // libselinux is linked; libsemanage and libsepol contribute their headers
        // (libsemanage-dev, libsepol-dev) and are opened when a command first needs them
        // (AmpfixSELinux/SELinuxLibraries.swift).
        .systemLibrary(
            name: "CSELinux", path: "Sources/CSELinux", pkgConfig: "libselinux",
            providers: [.apt(["libselinux1-dev"]), .yum(["libselinux-devel"])]
        ),
        .systemLibrary(name: "CSemanage", path: "Sources/CSemanage"),
        .systemLibrary(name: "CSepol", path: "Sources/CSepol"),
        .target(
            name: "AmpfixSELinux",
            dependencies: ["AmpfixCore", "AmpfixSystem", "CLinux", "CSELinux", "CSemanage", "CSepol",
                           .product(name: "SystemPackage", package: "swift-system")]
        ),
        // Packages: a C++ shim over libapt-pkg, librpm, and the adapter over both.
        .target(
            name: "CAptShim",
            linkerSettings: [.linkedLibrary("apt-pkg")]
        ),
        .systemLibrary(
            name: "CRPM", path: "Sources/CRPM", pkgConfig: "rpm",
            providers: [.apt(["librpm-dev"]), .yum(["rpm-devel"])]
        ),
        .systemLibrary(
            name: "CClamAV", path: "Sources/CClamAV", pkgConfig: "libclamav",
            providers: [.apt(["libclamav-dev"]), .yum(["clamav-devel"])]
        ),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .yum(["zlib-devel"])]
        ),
        .target(
            name: "AmpfixPackages",
            dependencies: [
                "AmpfixCore", "AmpfixSystem",
                .target(name: "CAptShim", condition: .when(traits: ["Apt"])),
                .target(name: "CRPM", condition: .when(traits: ["RPM"])),
            ]
        ),
        // A tool handed an untrusted root, started in a mount namespace of its own where the root is
        // mounted noexec, nosuid, nodev (clone and mounts between fork and exec: C).
        .target(name: "CConfine"),
        // Fault 18's event sources: fanotify and the proc connector (kernel interfaces, no library).
        .target(name: "CEvents"),
        // Kernel modules: libkmod's header (libkmod-dev, kmod-devel). Not linked: AmpfixKmod opens
        // libkmod.so.2 when a command first needs it (LibKmod.swift).
        .systemLibrary(name: "CKmod", path: "Sources/CKmod"),
        .target(name: "AmpfixKmod", dependencies: ["AmpfixCore", "AmpfixSystem", "CKmod", .product(name: "SystemPackage", package: "swift-system")]),
        // The connector's eBPF programs: loaded, attached and detached through libbpf, which C code
        // opens at first use (libbpf-dev's headers only; libbpf1 at run time).
        .target(name: "CBPFProbe"),
        .target(name: "AmpfixBPF", dependencies: ["AmpfixCore", "AmpfixSystem", "CBPFProbe"]),
        // The real host: every adapter over one root, composed once for the core's Run.
        .target(
            name: "AmpfixHost",
            dependencies: ["AmpfixCore", "AmpfixSystem", "AmpfixSELinux", "AmpfixPackages", "AmpfixKmod", "AmpfixBPF"]
        ),
        // argc/argv as the C runtime hands them over, with or without /proc.
        .target(name: "CProcessArguments"),
        // The command line declared as data: parsing, usage errors, help (no reflection at start).
        .target(name: "AmpfixCommandLine", dependencies: ["AmpfixText"]),
        .executableTarget(
            name: "ampfix",
            dependencies: [
                "AmpfixCore",
                "AmpfixSystem",
                "AmpfixHost",
                "CProcessArguments",
                "AmpfixCommandLine",
            ]
        ),
        // Fixture roots, tree hashes and a runner for the built ampfix binary.
        .target(name: "AmpfixTestSupport", dependencies: ["AmpfixCore"]),
        .testTarget(name: "AmpfixCoreTests", dependencies: ["AmpfixCore", "AmpfixTestSupport"]),
        .testTarget(
            name: "AmpfixSystemTests",
            dependencies: ["AmpfixCore", "AmpfixSystem", "AmpfixTestSupport", "CLinux"]
        ),
        .testTarget(name: "AmpfixKmodTests", dependencies: ["AmpfixCore", "AmpfixKmod", "AmpfixSystem", "AmpfixTestSupport", "CLinux"]),
        .testTarget(name: "AmpfixPackagesTests", dependencies: ["AmpfixCore", "AmpfixPackages", "AmpfixSystem", "AmpfixTestSupport"]),
        .testTarget(
            name: "AmpfixSELinuxTests",
            dependencies: ["AmpfixCore", "AmpfixSELinux", "AmpfixSystem", "AmpfixTestSupport"]
        ),
        .testTarget(name: "AmpfixBPFTests", dependencies: ["AmpfixBPF", "AmpfixCore", "AmpfixTestSupport"]),
        .testTarget(name: "AmpfixHostTests", dependencies: ["AmpfixCore", "AmpfixHost", "AmpfixTestSupport"]),
        .testTarget(name: "ampfixTests", dependencies: ["AmpfixCommandLine", "AmpfixCore", "AmpfixSystem", "AmpfixTestSupport", "CLinux"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
