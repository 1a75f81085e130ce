import Foundation
import Testing

/// The binary runs on x86-64 CPUs older than the one it was built on: under
/// QEMU's user-mode emulation (Debian's `qemu-user`) with a CPU model
/// without AVX (Nehalem) and one with AVX2 but no AVX-512 (Haswell), `mi`
/// trains and reports the kernels it chose. (A build with -target-cpu
/// native on an AVX2 or AVX-512 machine dies here with SIGILL.) Skipped
/// where qemu-x86_64 is not installed or the host is not x86-64.
@Suite("portable binary", .enabled(if: Portability.qemu != nil && Executable.mi != nil,
                                   "needs qemu-x86_64 (apt-get install qemu-user) and a built mi"))
struct PortabilityTests {
    @Test(arguments: [("Nehalem", "baseline"), ("Haswell-noTSX", "avx2")])
    func runsOnAnOlderCPU(_ cpu: String, _ kernels: String) throws {
        let qemu = try #require(Portability.qemu), mi = try #require(Executable.mi)
        let (status, output) = try Spawn.run(qemu, ["-cpu", cpu, mi, "-e",
                                                    "estimate nce steps=3 batch=8 dim=2 hidden=[16] embed=4"],
                                             capture: true)
        #expect(status == 0, "exit \(status) on \(cpu): \(output)")
        #expect(output.contains("nce with separable(16, relu, embed=4), K=8, 3 steps"), "\(output)")
        let (benchStatus, bench) = try Spawn.run(qemu, ["-cpu", cpu, mi, "bench", "--only", "separable-nce",
                                                        "--peak", "100", "--repeats", "1", "--seconds", "0.01"],
                                                 capture: true)
        #expect(benchStatus == 0)
        #expect(bench.contains("\"kernels\":\"\(kernels)\""), "\(bench)")
    }
}

enum Portability {
    static let qemu: String? = {
        #if arch(x86_64)
        return ["/usr/bin/qemu-x86_64", "/usr/local/bin/qemu-x86_64"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        #else
        return nil
        #endif
    }()
}
