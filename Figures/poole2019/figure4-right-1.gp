# figure4-right-1.gp: a figure, drawn by MIPlot; its data is figure4-right-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot figure4-right-1.gp                       writes figure4-right-1.svg
#   gnuplot -e 'format="png"' figure4-right-1.gp     writes figure4-right-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' figure4-right-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' figure4-right-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'figure4-right-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 6.4in,4.8in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'figure4-right-1.dat'

# Panel 1 (row 1, column 1): 004 Figure 4 (right): alpha with the lowest gradient MSE
reset
set title '004 Figure 4 (right): alpha with the lowest gradient MSE'
set xlabel 'true MI (nats)'
set ylabel 'batch size K'
unset key
set xrange [-0.5:6.5]
set yrange [-0.5:3.5]
set xtics ('1' 0, '2' 1, '4' 2, '6' 3, '8' 4, '10' 5, '12' 6)
set ytics ('64' 0, '128' 1, '256' 2, '512' 3)
set tics scale 0
set palette defined (0 '#440154', 1 '#3B528B', 2 '#21918C', 3 '#5EC962', 4 '#FDE725')
set cbrange [0.003154930222502744:0.9989999999999999]
set cblabel 'alpha'
plot \
    data index 0 using 1:2:(0.51):(0.51):3 with boxxyerror fs solid 1 noborder lc palette notitle, \
    data index 0 using 1:2:($3 == $3 ? sprintf('%.2g', $3) : ''):4 with labels tc rgb variable notitle

unset output
