package dev.snakebridge.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocsManifestTest {
  static byte[] inventory(String body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(("# Sphinx inventory version 2\n# Project: PyTorch\n# Version: 1.13\n"
        + "# The remainder of this file is compressed using zlib.\n").getBytes(StandardCharsets.UTF_8));
    try (DeflaterOutputStream z = new DeflaterOutputStream(out)) {
      z.write(body.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  @Test
  void buildsModulesAndMembersFromASphinxInventory(@TempDir Path dir) throws IOException {
    String body = """
        torch py:module 0 torch.html#module-$ -
        torch.nn py:module 0 nn.html#module-$ -
        torch.nn.functional py:module 0 nn.functional.html#module-$ -
        torch.abs py:function 1 generated/$.html -
        torch.Tensor py:class 1 tensors.html#$ -
        torch.Tensor.add py:method 1 generated/$.html -
        torch.nn.functional.relu py:function 1 generated/$.html -
        torch.nn.Linear py:class 1 generated/$.html Linear layer
        torch.float32 py:data 1 tensor_attributes.html#$ -
        numpy.abs py:function 1 other.html -
        relu std:label -1 x.html ReLU
        """;
    Path file = dir.resolve("objects.inv");
    Files.write(file, inventory(body));
    SphinxInventory inv = SphinxInventory.read(file);
    assertThat(inv.project()).isEqualTo("PyTorch");
    DocsManifest m = DocsManifest.fromInventory("torch", inv);
    assertThat(m.modules()).isEqualTo(Map.of(
        "torch", List.of("Tensor", "abs", "float32"),
        "torch.nn", List.of("Linear"),
        "torch.nn.functional", List.of("relu")));
    Path json = dir.resolve("torch.docs.json");
    Files.writeString(json, m.toJson());
    assertThat(DocsManifest.read(json)).isEqualTo(m);
  }

  @Test
  void aModuleWithoutDocumentedMembersKeepsAllOfThem() throws IOException {
    DocsManifest m = DocsManifest.fromInventory("torch",
        SphinxInventory.parse(inventory("torch.fft py:module 0 fft.html -\n")));
    assertThat(m.modules()).isEqualTo(Map.of("torch.fft", List.of("*")));
  }

  @Test
  void rejectsWhatIsNotAnInventory() {
    assertThatThrownBy(() -> SphinxInventory.parse("hello\nworld\n\n\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IOException.class).hasMessageContaining("version 2");
  }
}
