# mine-batch-plot-1.gp: a figure, drawn by MIPlot; its data is mine-batch-plot-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot mine-batch-plot-1.gp                       writes mine-batch-plot-1.svg
#   gnuplot -e 'format="png"' mine-batch-plot-1.gp     writes mine-batch-plot-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' mine-batch-plot-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' mine-batch-plot-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'mine-batch-plot-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 1400,700 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 1400,700 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 14in,7in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'mine-batch-plot-1.dat'
set multiplot layout 1,2 rowsfirst

# Panel 1 (row 1, column 1): (b) MINE at 7.5 nats
reset
set title '(b) MINE at 7.5 nats'
set xlabel 'pairs drawn'
set ylabel 'MI estimate (nats)'
set yrange [0:60]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 1 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 2 using 1:2 with lines lc rgb '#9EDACA' lw 1 notitle, \
    data index 3 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'K = 16', \
    data index 4 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'K = 32', \
    data index 5 using 1:2 with lines lc rgb '#009E73' lw 2 title 'K = 64', \
    data index 6 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI', \
    2.772588722239781 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'log N = 2.773', \
    3.4657359027997265 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'log N = 3.466', \
    4.1588830833596715 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'log N = 4.159'

# Panel 2 (row 1, column 2): (c) MINE at 5 nats
reset
set title '(c) MINE at 5 nats'
set xlabel 'pairs drawn'
set ylabel 'MI estimate (nats)'
set yrange [0:15]
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 7 using 1:2 with lines lc rgb '#9EC9E2' lw 1 notitle, \
    data index 8 using 1:2 with lines lc rgb '#EFC29E' lw 1 notitle, \
    data index 9 using 1:2 with lines lc rgb '#9EDACA' lw 1 notitle, \
    data index 10 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'K = 16', \
    data index 11 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'K = 64', \
    data index 12 using 1:2 with lines lc rgb '#009E73' lw 2 title 'K = 256', \
    data index 13 using 1:2 with steps lc rgb '#000000' lw 2 title 'true MI', \
    2.772588722239781 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'log N = 2.773', \
    4.1588830833596715 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'log N = 4.159', \
    5.545177444479562 with lines lc rgb '#7F7F7F' lw 2 dt 2 title 'log N = 5.545'

unset multiplot
unset output
