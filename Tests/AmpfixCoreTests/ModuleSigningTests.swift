import AmpfixCore
import AmpfixTestSupport
import Testing

/// Secure Boot and DKMS's signing key: the MOK list parsed from its efivar bytes, the key found
/// where DKMS looks for it, and faults 8 and 9 planning (or not) the load of a DKMS build.
@Suite struct ModuleSigningTests {
    static let sha256Type: [UInt8] = [0x26, 0x16, 0xc4, 0xc1, 0x4c, 0x50, 0x92, 0x40, 0xac, 0xa9, 0x41, 0xf9, 0x36, 0x93, 0x43, 0x28]
    static let owner = [UInt8](repeating: 0x5a, count: 16)
    /// Stands for a DER certificate: the comparison is of bytes, and a DER SEQUENCE starts 0x30.
    static let dkmsCertificate: [UInt8] = [0x30, 0x82, 0x01, 0x0a] + Array(0..<40)
    static let otherCertificate: [UInt8] = [0x30, 0x82, 0x02, 0x0b] + Array(100..<160)

    static func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8((value >> ($0 * 8)) & 0xff) } }

    /// One EFI signature list of `signatures` (each `size` bytes of data) of `type`.
    static func list(_ type: [UInt8], _ signatures: [[UInt8]], header: [UInt8] = []) -> [UInt8] {
        let size = (signatures.first?.count ?? 0) + 16
        let total = 28 + header.count + signatures.count * size
        return type + le32(total) + le32(header.count) + le32(size) + header + signatures.flatMap { owner + $0 }
    }

    /// The efivar's bytes: 4 of attributes (NV|BS|RT), then the lists.
    static func efivar(_ lists: [UInt8]...) -> [UInt8] { [0x07, 0, 0, 0] + lists.flatMap { $0 } }

    @Test func theMokListsCertificatesAreRead() throws {
        let bytes = Self.efivar(Self.list(EFISignatureList.x509, [Self.otherCertificate]),
                                Self.list(Self.sha256Type, [[UInt8](repeating: 1, count: 32), [UInt8](repeating: 2, count: 32)]),
                                Self.list(EFISignatureList.x509, [Self.dkmsCertificate], header: [9, 9]))
        let lists = try EFISignatureList.parse(bytes[4...])
        #expect(lists.map(\.signatures.count) == [1, 2, 1])
        #expect(EFISignatureList.certificates(lists) == [Self.otherCertificate, Self.dkmsCertificate])
        #expect(try EFISignatureList.parse([][...]).isEmpty)
    }

    @Test func malformedListsAreErrorsNotGuesses() {
        let good = Self.list(EFISignatureList.x509, [Self.dkmsCertificate])
        #expect(throws: EFISignatureList.Malformed.truncated(offset: 0)) { try EFISignatureList.parse(good.prefix(20)) }
        #expect(throws: EFISignatureList.Malformed.truncated(offset: good.count)) { try EFISignatureList.parse((good + [1, 2, 3])[...]) }
        var tooLong = good
        tooLong[16] &+= 1  // the list claims a byte more than there is
        #expect(throws: EFISignatureList.Malformed.badSizes(offset: 0, list: good.count + 1, header: 0, signature: Self.dkmsCertificate.count + 16)) {
            try EFISignatureList.parse(tooLong[...])
        }
        var tiny = good
        tiny[24] = 15; tiny[25] = 0  // a signature smaller than its owner GUID
        #expect(throws: EFISignatureList.Malformed.self) { try EFISignatureList.parse(tiny[...]) }
        var hugeHeader = good
        hugeHeader[20] = 0xff; hugeHeader[21] = 0xff; hugeHeader[22] = 0xff; hugeHeader[23] = 0xff
        #expect(throws: EFISignatureList.Malformed.self) { try EFISignatureList.parse(hugeHeader[...]) }
    }

    static func host(mokList: [UInt8]?, certificate: [UInt8]?, _ files: [String: String] = [:]) -> MemoryFacts {
        var host = ModuleBuildTests.host(["/sys/firmware/efi": "", SecureBoot.variable: "\u{6}\u{0}\u{0}\u{0}\u{1}"].merging(files) { $1 })
        if let mokList { host.binaryFiles[ModuleSigning.mokListVariable] = mokList }
        if let certificate { host.binaryFiles[DKMSSigningKey.defaultCertificate] = certificate }
        return host
    }

    @Test func dkmssKeyIsFoundAndCompared() {
        let enrolled = Self.host(mokList: Self.efivar(Self.list(EFISignatureList.x509, [Self.otherCertificate,
                Self.dkmsCertificate].map { Array($0.prefix(44)) })),
                                 certificate: Array(Self.dkmsCertificate.prefix(44)))
        #expect(DKMSSigningKey.locate(enrolled) == DKMSSigningKey(certificate: DKMSSigningKey.defaultCertificate, configuredIn: nil))
        #expect(DKMSSigningKey.locate(enrolled).enrollment(enrolled) == .enrolled)
        let other = Self.host(mokList: Self.efivar(Self.list(EFISignatureList.x509, [Self.otherCertificate])), certificate: Self.dkmsCertificate)
        #expect(DKMSSigningKey.locate(other).enrollment(other) == .notEnrolled(count: 1))
        #expect(DKMSSigningKey.locate(Self.host(mokList: nil, certificate: nil)).enrollment(Self.host(mokList: nil, certificate: nil)) == .noCertificate)
        // Ubuntu's DKMS signs with shim-signed's key unless framework.conf names one.
        #expect(DKMSSigningKey.locate(other, os: OSRelease(path: KernelFacts.osReleasePaths[0], text: "ID=ubuntu\n")).certificate == DKMSSigningKey.ubuntuCertificate)
        #expect(DKMSSigningKey.locate(other, os: OSRelease(path: KernelFacts.osReleasePaths[0], text: "ID=debian\n")).certificate == DKMSSigningKey.defaultCertificate)
        // EL names its key in framework.conf; a drop-in read later wins; PEM is read as DER.
        let pem = "-----BEGIN CERTIFICATE-----\nMIIBCgABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fICEiIyQlJic=\n-----END CERTIFICATE-----\n"
        // Key paths of the fixture's own choosing, inside the in-memory host.
        let (configuredKey, configuredCertificate, localCertificate) = ("/fixture/pki/dkms/mok.key", "/fixture/pki/dkms/mok.der", "/fixture/pki/local/mok.pem")
        var el = Self.host(mokList: Self.efivar(Self.list(EFISignatureList.x509, [Self.dkmsCertificate])), certificate: nil,
                           [DKMSSigningKey.framework: "mok_signing_key=\(configuredKey)\nmok_certificate=\"\(configuredCertificate)\"\n",
                            DKMSSigningKey.frameworkDirectory + "/10-local.conf": "mok_certificate='\(localCertificate)' # ours\n",
                            localCertificate: pem])
        let key = DKMSSigningKey.locate(el)
        #expect(key == DKMSSigningKey(certificate: localCertificate, configuredIn: DKMSSigningKey.frameworkDirectory + "/10-local.conf"))
        #expect(key.enrollment(el) == .enrolled)
        el.binaryFiles[ModuleSigning.mokListVariable] = [7, 0, 0, 0, 1, 2]
        #expect(key.enrollment(el) == .unknown("cannot read the MOK list (\(ModuleSigning.mokListVariable)): an EFI signature list at byte 0 is cut short"))
    }

    @Test func aBuildUnderSecureBootLoadsOnlyWithTheKeyEnrolled() {
        let mokList = Self.efivar(Self.list(EFISignatureList.x509, [Self.dkmsCertificate]))
        let enrolled = ModuleBuildTests.diagnose(Self.host(mokList: mokList, certificate: Self.dkmsCertificate))
        #expect(enrolled.repairs.map(\.kind) == [.dkmsInstall, .loadKernelModule])
        #expect(enrolled.evidenceText.last == "UEFI Secure Boot: DKMS signs with \(DKMSSigningKey.defaultCertificate) (DKMS's default here), which is enrolled in the MOK list (MokListRT): the kernel trusts its builds")
        let notYet = ModuleBuildTests.diagnose(Self.host(mokList: Self.efivar(Self.list(EFISignatureList.x509, [Self.otherCertificate])),
                                                         certificate: Self.dkmsCertificate))
        #expect(notYet.repairs.map(\.kind) == [.dkmsInstall], "built and installed, not loaded")
        #expect(notYet.stepsText.first == "Enroll DKMS's key: mokutil --import \(DKMSSigningKey.defaultCertificate) (it asks for a one-time password; DKMS makes the key at its first build, which this run makes).")
        #expect(notYet.stepsText.last == "Then run ampfix --fault 8: the kernel trusts DKMS's builds and ampfsm loads.")
    }

    /// A kernel hook's check of a kernel installed, not yet booted: the build is made for it, never
    /// loaded into the running one, and whether the kernel will trust it is said before the reboot.
    @Test func aBuildForAnotherKernelUnderSecureBootIsCheckedAgainstTheMokList() {
        let next = "6.1.0-20-amd64"
        func diagnose(_ certificates: [[UInt8]]) -> Finding {
            var host = Self.host(mokList: Self.efivar(Self.list(EFISignatureList.x509, certificates)), certificate: Self.dkmsCertificate,
                                 ["/lib/modules/\(next)/build/Makefile": ""])
            host.kernel = ModuleBuildTests.release
            return ModuleBuildTests.diagnose(host, kernel: next)
        }
        let enrolled = diagnose([Self.dkmsCertificate])
        #expect(enrolled.repairs.map(\.kind) == [.dkmsInstall], "built, not loaded into the running kernel")
        #expect(enrolled.evidenceText.contains { $0.hasSuffix("which is enrolled in the MOK list (MokListRT): the kernel trusts its builds") })
        #expect(enrolled.stepsText == ["\(next) is not the running kernel (\(ModuleBuildTests.release)): boot it, then run ampfix --fault 8 to load ampfsm."])
        let notEnrolled = diagnose([Self.otherCertificate])
        #expect(notEnrolled.repairs.map(\.kind) == [.dkmsInstall])
        #expect(notEnrolled.evidenceText.contains { $0.hasSuffix("which is not among the 1 certificates of the MOK list (MokListRT): the kernel refuses its builds") })
        #expect(notEnrolled.stepsText.first?.hasPrefix("Enroll DKMS's key: mokutil --import") == true)
        #expect(notEnrolled.stepsText.last?.hasPrefix("\(next) is not the running kernel") == true)
    }

    @Test func aUserBuiltModuleWhoseKeyIsNotEnrolledIsExplained() {
        let built = KernelModuleInfo(name: "ampfsm", path: "/lib/modules/6.1.0-18-amd64/updates/dkms/ampfsm.ko", signed: true, vermagic: nil,
                                     description: "Cisco AMP Filesystem Module (user-built)")
        let fault = KernelModuleFault.filesystemMonitor(options: RepairOptions(), modules: MemoryKernelModules(modules: ["ampfsm": built], states: [:]))
        let finding = fault.diagnose(Self.host(mokList: Self.efivar(), certificate: Self.dkmsCertificate))
        #expect(finding.status == .present && finding.repairs.isEmpty)
        #expect(finding.evidenceText.contains("ampfsm for 6.1.0-18-amd64: /lib/modules/6.1.0-18-amd64/updates/dkms/ampfsm.ko, user-built (modinfo: 'Cisco AMP Filesystem Module (user-built)'), signed"))
        #expect(finding.evidenceText.last?.hasSuffix("which is not among the 0 certificates of the MOK list (MokListRT): the kernel refuses its builds") == true)
        // The connector's own signed module is not DKMS's business.
        var own = built
        own.description = "Cisco AMP Filesystem Module"
        let connector = KernelModuleFault.filesystemMonitor(options: RepairOptions(), modules: MemoryKernelModules(modules: ["ampfsm": own], states: [:]))
        #expect(connector.diagnose(Self.host(mokList: Self.efivar(), certificate: nil)).repairs.map(\.kind) == [.loadKernelModule])
    }

    @Test func lockdownAndSigEnforceAreReportedAndRefuseUnsignedModules() {
        var host = ModuleBuildTests.host([ModuleSigning.lockdownFile: "none [integrity] confidentiality\n", ModuleSigning.sigEnforceFile: "N\n"])
        #expect(ModuleSigning.read(host) == ModuleSigning(lockdown: "integrity", sigEnforce: false))
        let unsigned = KernelModuleInfo(name: "ampfsm", path: "/lib/modules/6.1.0-18-amd64/extra/ampfsm.ko", signed: false, vermagic: nil)
        let fault = KernelModuleFault.filesystemMonitor(options: RepairOptions(), modules: MemoryKernelModules(modules: ["ampfsm": unsigned], states: [:]))
        let locked = fault.diagnose(host)
        #expect(locked.status == .present && locked.repairs.isEmpty)
        #expect(locked.evidenceText.contains("the kernel refuses unsigned modules (kernel lockdown: integrity; module.sig_enforce: N), so ampfsm cannot load"))
        host.files[ModuleSigning.lockdownFile] = "[none] integrity confidentiality\n"
        #expect(fault.diagnose(host).repairs.map(\.kind) == [.loadKernelModule])
        #expect(fault.diagnose(host).evidenceText.contains("kernel lockdown: none; module.sig_enforce: N"))
        host.files[ModuleSigning.sigEnforceFile] = "Y\n"
        #expect(fault.diagnose(host).repairs.isEmpty)
    }
}
