package dev.snakebridge.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor: one small frame (16-byte header as in docs/PROTOCOL.md plus a 32-byte payload) to a
 * trivial Python child that echoes it back ({@code echo.py}), with the I/O done exactly as the
 * runtime's {@code PipeChannel} does it: the {@link Process} streams, {@code write} + {@code flush},
 * then {@code readNBytes} of the header and of the payload, on the calling thread. No encoding, no
 * dispatch: the cost of two pipe transfers and two wake-ups, which no pipe-based call can beat.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 8, time = 5)
public class FloorBenchmark {
  /** Payload bytes per frame: about the size of a small encoded request. */
  static final int PAYLOAD_LENGTH = 32;

  private static final int HEADER_LENGTH = 16;
  private static final int LENGTH_FIELD_OVERHEAD = 12;
  private static final int KIND_REQUEST = 1;
  /** Bytes of a whole frame, header included. */
  static final int FRAME_LENGTH = HEADER_LENGTH + PAYLOAD_LENGTH;

  private Process process;
  private Path script;
  private OutputStream out;
  private InputStream in;
  private final byte[] frame = new byte[FRAME_LENGTH];
  private final byte[] header = new byte[HEADER_LENGTH];
  private long nextId = 1;

  @Setup(Level.Trial)
  public void start() throws IOException {
    BenchSupport.reportForkPinning();
    script = BenchSupport.extractScript("echo.py");
    process = new ProcessBuilder(BenchSupport.python(), script.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    out = process.getOutputStream();
    in = process.getInputStream();
    fillRequest(frame);
    echo(); // fails fast, in set-up, when the child does not echo
  }

  /** Writes the header and payload of a request frame (id 0) into {@code frame} of FRAME_LENGTH bytes. */
  static void fillRequest(byte[] frame) {
    putIntLE(frame, 0, LENGTH_FIELD_OVERHEAD + PAYLOAD_LENGTH);
    frame[4] = KIND_REQUEST;
    for (int i = HEADER_LENGTH; i < frame.length; i++) {
      frame[i] = (byte) ('a' + i % 26);
    }
  }

  /** One round trip; returns the id the child sent back. */
  @Benchmark
  public long echo() throws IOException {
    long id = nextId++;
    putLongLE(frame, 8, id);
    out.write(frame, 0, frame.length);
    out.flush();
    readFully(header, HEADER_LENGTH);
    int length = getIntLE(header, 0);
    if (length < LENGTH_FIELD_OVERHEAD || length > LENGTH_FIELD_OVERHEAD + PAYLOAD_LENGTH) {
      throw new IOException("corrupt frame from the echo child: length " + Integer.toUnsignedString(length));
    }
    byte[] payload = new byte[length - LENGTH_FIELD_OVERHEAD]; // PipeChannel allocates each payload too
    readFully(payload, payload.length);
    long echoed = getLongLE(header, 8);
    if (echoed != id) {
      throw new IOException("echo child answered id " + echoed + " to request " + id);
    }
    return echoed + payload[0];
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException, InterruptedException {
    if (process != null) {
      out.close(); // end of file: the child exits
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    if (script != null) {
      Files.deleteIfExists(script);
    }
  }

  private void readFully(byte[] target, int n) throws IOException {
    if (in.readNBytes(target, 0, n) < n) {
      throw new EOFException("the echo child closed its output");
    }
  }

  private static void putIntLE(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  private static void putLongLE(byte[] b, int at, long v) {
    putIntLE(b, at, (int) v);
    putIntLE(b, at + 4, (int) (v >>> 32));
  }

  private static int getIntLE(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
  }

  private static long getLongLE(byte[] b, int at) {
    return (getIntLE(b, at) & 0xffffffffL) | (long) getIntLE(b, at + 4) << 32;
  }
}
