import Foundation

/// A real rpm database in a throwaway root: tiny packages built with rpmbuild and registered
/// with `rpm --root R --dbpath /var/lib/rpm -i --nodeps --justdb`.
public enum RPMFixture {
    public struct Package: Sendable {
        public var name: String
        public var version: String
        public var release: String
        public var arch: String

        public init(_ name: String, _ version: String, _ release: String, arch: String = "x86_64") {
            self.name = name
            self.version = version
            self.release = release
            self.arch = arch
        }

        public var vra: String { "\(version)-\(release).\(arch)" }
    }

    /// Builds the packages and installs them into `root`'s database (created when missing).
    public static func install(_ packages: [Package], into root: String) throws {
        let work = TempRoot("rpmbuild")
        try FileManager.default.createDirectory(atPath: work.at("SPECS"), withIntermediateDirectories: true)
        var files: [String] = []
        for (index, package) in packages.enumerated() {
            let spec = work.at("SPECS/p\(index).spec")
            try """
                Name: \(package.name)
                Version: \(package.version)
                Release: \(package.release)
                Summary: ampfix test package
                License: MIT
                BuildArch: \(package.arch)
                %description
                A package with no files, for ampfix's tests.
                %files

                """.write(toFile: spec, atomically: false, encoding: .utf8)
            let build = try Command.run("/usr/bin/rpmbuild", ["-bb", "--quiet", "--define", "_topdir \(work.path)", "--target", package.arch, spec])
            guard build.status == 0 else { throw FixtureError("rpmbuild failed: \(build.stderr)") }
            files.append(work.at("RPMS/\(package.arch)/\(package.name)-\(package.vra).rpm"))
        }
        if !FileManager.default.fileExists(atPath: root + "/var/lib/rpm") {
            let initdb = try Command.run("/usr/bin/rpm", ["--root", root, "--dbpath", "/var/lib/rpm", "--initdb"])
            guard initdb.status == 0 else { throw FixtureError("rpm --initdb failed: \(initdb.stderr)") }
        }
        let install = try Command.run("/usr/bin/rpm", ["--root", root, "--dbpath", "/var/lib/rpm", "-i", "--nodeps", "--justdb", "--ignorearch"] + files)
        guard install.status == 0 else { throw FixtureError("rpm -i failed: \(install.stderr)") }
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
